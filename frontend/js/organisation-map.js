// Draws an organisation's boundary and its neighbours' with Leaflet, with no tile
// server: the shapes are the map. The neighbours table on the page has the same facts.
(function () {
  "use strict";
  var element = document.getElementById("organisation-map");
  var data = document.getElementById("map-features");
  if (!element || !data || !window.L) return;
  var features = JSON.parse(data.textContent);
  var map = L.map(element, { zoomSnap: 0.25, attributionControl: true });
  map.attributionControl.setPrefix(false).addAttribution("Boundaries: ONS, OGL v3");
  var layer = L.geoJSON(features, {
    style: function (feature) {
      var self = feature.properties.role === "self";
      return {
        color: self ? "#003078" : "#505a5f",
        weight: self ? 3 : 1,
        fillColor: self ? "#1d70b8" : "#b1b4b6",
        fillOpacity: self ? 0.6 : 0.4
      };
    },
    onEachFeature: function (feature, shape) {
      shape.bindTooltip(feature.properties.name);
      if (feature.properties.role !== "self") {
        shape.on("click", function () { window.location.href = feature.properties.url; });
      }
    }
  }).addTo(map);
  var own = layer.getLayers().filter(function (l) { return l.feature.properties.role === "self"; });
  map.fitBounds((own.length ? L.featureGroup(own) : layer).getBounds().pad(0.6));
  element.setAttribute("data-features-drawn", String(layer.getLayers().length));
})();
