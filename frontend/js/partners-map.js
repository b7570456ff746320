// The partner finder's map: the searching organisation and its candidates as numbered
// circles over council outlines (no tile server). The ranked list on the page has the same facts.
(function () {
  "use strict";
  var element = document.getElementById("partners-map");
  var data = document.getElementById("partner-points");
  var script = document.getElementById("partners-map-script");
  if (!element || !data || !window.L) return;
  var points = JSON.parse(data.textContent);
  var map = L.map(element, { zoomSnap: 0.25 });
  map.attributionControl.setPrefix(false).addAttribution("Boundaries: ONS, OGL v3");
  var markers = L.featureGroup(points.map(function (p, n) {
    var marker = L.circleMarker([p.lat, p.lon], {
      radius: p.self ? 9 : 7, color: p.self ? "#0b0c0c" : "#003078", weight: 2,
      fillColor: p.self ? "#ffdd00" : "#1d70b8", fillOpacity: 0.9
    });
    marker.bindTooltip(p.self ? p.name + " (you)" : n + ". " + p.name + " (" + p.score + "%)");
    return marker;
  })).addTo(map);
  map.fitBounds(markers.getBounds().pad(0.2));
  element.setAttribute("data-points-drawn", String(points.length));
  if (script && window.topojson && window.fetch) {
    fetch(script.getAttribute("data-boundaries")).then(function (r) { return r.json(); }).then(function (topology) {
      var key = Object.keys(topology.objects)[0];
      L.geoJSON(topojson.feature(topology, topology.objects[key]), {
        style: { color: "#b1b4b6", weight: 0.5, fillOpacity: 0 }, interactive: false
      }).addTo(map);
      markers.bringToFront();
    });
  }
})();
