// Tideline's maps: the sites of a page over the Natural Earth coastline (or tiles, when the
// server has a tile URL), each a dot coloured by its status against the EU threshold.
(function () {
  "use strict";
  var holder = document.getElementById("map");
  var source = document.getElementById("map-data");
  if (!holder || !source) { return; }
  var data = JSON.parse(source.textContent);
  var colours = { meets: "#1a9850", exceeds: "#d73027", insufficient: "#878787", not_assessed: "#4575b4", none: "#abd9e9" };
  var map = L.map(holder, { worldCopyJump: false, attributionControl: true });
  map.attributionControl.setPrefix("");
  var tileUrl = data.tile_url || window.TIDELINE_TILE_URL;
  if (tileUrl) {
    L.tileLayer(tileUrl, { maxZoom: 18 }).addTo(map);
  } else {
    holder.style.background = "#d4e6f1";
    fetch("/assets/countries-110m.json")
      .then(function (response) { return response.json(); })
      .then(function (topology) {
        var countries = topojson.feature(topology, topology.objects.countries);
        L.geoJSON(countries, {
          interactive: false,
          style: { color: "#7f8c8d", weight: 0.6, fillColor: "#f4f1ea", fillOpacity: 1 }
        }).addTo(map).bringToBack();
        map.attributionControl.addAttribution("Natural Earth");
      });
  }
  var bounds = data.sites.map(function (site) { return [site.lat, site.lon]; });
  if (bounds.length > 1) {
    map.fitBounds(bounds, { padding: [30, 30], maxZoom: 8 });
  } else if (bounds.length === 1) {
    map.setView(bounds[0], 8);
  } else {
    map.setView([10, 115], 3);
  }
  // sites with a status drawn last, on top of those without
  var rank = { none: 0, not_assessed: 1, insufficient: 2, meets: 3, exceeds: 4 };
  var ordered = data.sites.slice().sort(function (a, b) { return (rank[a.status] || 0) - (rank[b.status] || 0); });
  ordered.forEach(function (site) {
    var marker = L.circleMarker([site.lat, site.lon], {
      radius: site.status === "none" ? 5 : 7, weight: 1.5, color: "#ffffff", fillColor: colours[site.status] || "#000000", fillOpacity: 0.9
    }).addTo(map);
    var link = document.createElement("a");
    link.href = site.url;
    link.textContent = site.name;
    var text = document.createElement("div");
    text.appendChild(link);
    text.appendChild(document.createElement("br"));
    text.appendChild(document.createTextNode(site.label));
    marker.bindPopup(text);
    var element = marker.getElement();
    if (element) { element.setAttribute("data-site", String(site.id)); }
  });
  holder.setAttribute("data-markers", String(data.sites.length));
})();
