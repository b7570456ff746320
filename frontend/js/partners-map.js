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
  // Numbered labels, not tab stops: the map is one stop (Leaflet's own keyboard panning)
  // and the list below has every fact and link.
  var markers = L.featureGroup(points.map(function (p, n) {
    var label = p.self ? "You" : String(n);
    return L.marker([p.lat, p.lon], {
      keyboard: false, interactive: false, title: "",
      icon: L.divIcon({
        className: "leaflet-div-icon", html: label, iconSize: p.self ? [34, 20] : [22, 20]
      }),
      alt: p.self ? p.name + " (you)" : n + ". " + p.name + " (" + p.score + "%)"
    });
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
