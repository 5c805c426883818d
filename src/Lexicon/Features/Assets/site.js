// The feature site's one script: draws index.html's table and a feature page from the JSON the page carries.
// Text from the store is only ever set through textContent or attributes, never parsed as HTML.
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('data').textContent);
  var app = document.getElementById('app');
  app.textContent = '';
  var SVG = 'http://www.w3.org/2000/svg';
  var COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728'];

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c); });
    return node;
  }
  function svg(tag, attrs, text) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function num(x, digits) {
    if (x === null || x === undefined) return '-';
    var v = Number(x);
    return v !== 0 && Math.abs(v) < 0.01 ? v.toExponential((digits || 3) - 1) : v.toPrecision(digits || 3);
  }
  // Tokens side by side: a middle dot between them, since a token may itself be a comma.
  var SEP = ' \u00b7 ';
  function section(title, children) { return el('section', {}, [el('h2', {}, [title])].concat(children)); }
  function norm(token) { return token.toLowerCase().replace(/^##/, '').trim(); }

  // A context: each token a span shaded by the feature's activation there (relative to scale), the row itself marked.
  function context(c, scale, factor) {
    factor = factor || 1;
    var line = el('div', { 'class': 'ctx' }, [el('span', { 'class': 'val' }, [num(c.value * factor)])]);
    var text = el('span', { 'class': 'text' });
    c.t.forEach(function (token, i) {
      var a = c.a[i] * factor;
      // The space before a word stays unshaded: only the token itself carries its activation.
      if (token.charAt(0) === ' ') { text.appendChild(document.createTextNode(' ')); token = token.slice(1); }
      var span = el('span', { title: 'activation ' + num(a) }, [token]);
      if (a > 0) span.style.backgroundColor = 'rgba(255,110,0,' + Math.min(1, a / scale).toFixed(3) + ')';
      if (i === c.at) span.className = 'at';
      text.appendChild(span);
    });
    line.appendChild(text);
    return line;
  }

  // A small line chart over layers: one line per series, y from 0 (or the smallest value) to the largest.
  function lineChart(title, layers, series) {
    // The legend gets a strip of its own under the title, so no line runs through it.
    var w = 380, h = 190 + 13 * series.length, l = 56, r = 10, t = 26 + 13 * series.length, b = 30;
    var values = [].concat.apply([], series.map(function (s) { return s.values.filter(function (v) { return v !== null; }); }));
    var lo = Math.min(0, Math.min.apply(null, values)), hi = Math.max.apply(null, values);
    if (!(hi > lo)) hi = lo + 1;
    var x0 = layers[0], x1 = layers[layers.length - 1];
    function X(layer) { return x1 === x0 ? l + (w - l - r) / 2 : l + (layer - x0) / (x1 - x0) * (w - l - r); }
    function Y(v) { return h - b - (v - lo) / (hi - lo) * (h - t - b); }
    var chart = svg('svg', { width: w, height: h, viewBox: '0 0 ' + w + ' ' + h, 'class': 'chart' });
    chart.appendChild(svg('text', { x: l, y: 14, 'class': 'title' }, title));
    chart.appendChild(svg('line', { x1: l, y1: h - b, x2: w - r, y2: h - b, 'class': 'axis' }));
    chart.appendChild(svg('line', { x1: l, y1: t, x2: l, y2: h - b, 'class': 'axis' }));
    [lo, (lo + hi) / 2, hi].forEach(function (v) {
      chart.appendChild(svg('text', { x: l - 4, y: Y(v) + 4, 'text-anchor': 'end' }, num(v, 2)));
    });
    layers.forEach(function (layer) {
      chart.appendChild(svg('text', { x: X(layer), y: h - b + 14, 'text-anchor': 'middle' }, String(layer)));
    });
    chart.appendChild(svg('text', { x: (l + w - r) / 2, y: h - 2, 'text-anchor': 'middle' }, 'layer'));
    series.forEach(function (s, i) {
      var points = [];
      s.values.forEach(function (v, j) { if (v !== null) points.push(X(layers[j]).toFixed(1) + ',' + Y(v).toFixed(1)); });
      chart.appendChild(svg('polyline', { points: points.join(' '), fill: 'none', stroke: COLORS[i], 'stroke-width': 2 }));
      points.forEach(function (p) {
        var xy = p.split(',');
        chart.appendChild(svg('circle', { cx: xy[0], cy: xy[1], r: 2.5, fill: COLORS[i] }));
      });
      chart.appendChild(svg('text', { x: l + 8, y: 30 + 13 * i, fill: COLORS[i] }, '\u2014 ' + s.name));
    });
    return chart;
  }

  // Bars over equal bins from x0 to x1, heights log-scaled or not.
  function histogram(title, counts, x0, x1, xLabel, log) {
    var w = 380, h = 170, l = 56, r = 10, t = 22, b = 32;
    var height = counts.map(function (c) { return log ? Math.log10(1 + c) : c; });
    var hi = Math.max.apply(null, height.concat([1e-9]));
    var chart = svg('svg', { width: w, height: h, viewBox: '0 0 ' + w + ' ' + h, 'class': 'chart' });
    chart.appendChild(svg('text', { x: l, y: 14, 'class': 'title' }, title));
    var bw = (w - l - r) / counts.length;
    counts.forEach(function (c, i) {
      var bh = height[i] / hi * (h - t - b);
      var bar = svg('rect', { x: l + i * bw + 0.5, y: h - b - bh, width: Math.max(1, bw - 1), height: bh, fill: '#4c78a8' });
      bar.appendChild(svg('title', {}, c + ' in [' + num(x0 + (x1 - x0) * i / counts.length) + ', ' + num(x0 + (x1 - x0) * (i + 1) / counts.length) + ')'));
      chart.appendChild(bar);
    });
    chart.appendChild(svg('line', { x1: l, y1: h - b, x2: w - r, y2: h - b, 'class': 'axis' }));
    chart.appendChild(svg('text', { x: l, y: h - b + 14, 'text-anchor': 'middle' }, num(x0, 2)));
    chart.appendChild(svg('text', { x: w - r, y: h - b + 14, 'text-anchor': 'end' }, num(x1, 2)));
    chart.appendChild(svg('text', { x: (l + w - r) / 2, y: h - 2, 'text-anchor': 'middle' }, xLabel));
    chart.appendChild(svg('text', { x: l - 4, y: t + 8, 'text-anchor': 'end' }, log ? 'log' : String(Math.max.apply(null, counts))));
    return chart;
  }

  function index() {
    var features = data.features;
    var filter = el('input', { type: 'search', id: 'filter', placeholder: 'filter: id or token' });
    var token = el('input', { type: 'search', id: 'token', placeholder: 'search by token (top or nearest)' });
    var layer = el('select', { id: 'layer' }, [el('option', { value: '' }, ['every birth layer'])]);
    Array.from(new Set(features.map(function (f) { return f.b; }))).sort(function (a, b) { return a - b; }).forEach(function (b) {
      layer.appendChild(el('option', { value: String(b) }, ['born at layer ' + b]));
    });
    var shown = el('p', { id: 'shown' });
    var columns = [['id', 'id'], ['tt', 'top tokens'], ['b', 'birth'], ['d', 'death'], ['n', 'firings'], ['den', 'density'], ['max', 'max activation']];
    var sort = { key: 'den', down: true };
    var head = el('tr', {}, columns.map(function (c) {
      var th = el('th', { 'data-key': c[0] }, [c[1]]);
      th.addEventListener('click', function () { sort = { key: c[0], down: sort.key === c[0] ? !sort.down : c[0] !== 'id' }; draw(); });
      return th;
    }));
    var body = el('tbody');
    var table = el('table', { id: 'features' }, [el('thead', {}, [head]), body]);
    var densities = features.map(function (f) { return Math.log10(f.den); });
    var lo = Math.floor(Math.min.apply(null, densities.concat([-1])));
    var bins = new Array(24).fill(0);
    densities.forEach(function (d) { bins[Math.min(23, Math.floor((d - lo) / -lo * 24))]++; });
    app.appendChild(el('div', { 'class': 'controls' }, [filter, token, layer]));
    app.appendChild(histogram('features by log10 density', bins, lo, 0, 'log10 density (share of rows a feature fires on)', false));
    app.appendChild(shown);
    app.appendChild(table);
    if (data.dead.length) {
      app.appendChild(el('details', {}, [el('summary', {}, [data.dead.length + ' features never fired (no page)']), el('p', { 'class': 'dead' }, [data.dead.join(' ')])]));
    }
    function value(f, key) { return key === 'tt' ? f.tt.join(' ') : key === 'd' ? (f.d === null ? Infinity : f.d) : f[key]; }
    function draw() {
      var text = filter.value.toLowerCase().trim(), wanted = norm(token.value), born = layer.value;
      var rows = features.filter(function (f) {
        if (born !== '' && String(f.b) !== born) return false;
        if (text && f.id.toLowerCase().indexOf(text) < 0 && !f.tt.some(function (t) { return t.toLowerCase().indexOf(text) >= 0; })) return false;
        return !wanted || f.tt.concat(f.nt).some(function (t) { return norm(t) === wanted; });
      });
      rows.sort(function (a, b) {
        var x = value(a, sort.key), y = value(b, sort.key);
        var order = x < y ? -1 : x > y ? 1 : 0;
        return sort.down ? -order : order;
      });
      body.textContent = '';
      rows.slice(0, 500).forEach(function (f) {
        body.appendChild(el('tr', {}, [
          el('td', {}, [el('a', { href: f.p }, [f.id])]), el('td', { 'class': 'tokens' }, [f.tt.join(SEP)]),
          el('td', {}, [String(f.b)]), el('td', {}, [f.d === null ? '-' : String(f.d)]), el('td', {}, [String(f.n)]),
          el('td', {}, [num(f.den)]), el('td', {}, [num(f.max)])]));
      });
      shown.textContent = 'Showing ' + Math.min(500, rows.length) + ' of ' + rows.length + ' matching features (' + features.length +
        ' fired); sorted by ' + columns.filter(function (c) { return c[0] === sort.key; })[0][1] + (sort.down ? ', largest first' : ', smallest first') + '. Click a column to sort.';
    }
    [filter, token].forEach(function (input) { input.addEventListener('input', draw); });
    layer.addEventListener('change', draw);
    draw();
  }

  function feature() {
    var f = data;
    var stats = 'Born at layer ' + f.birth + (f.death === null ? '' : ', pruned at layer ' + f.death) + '. Fires on ' + f.firings + ' of ' +
      f.rows + ' rows (density ' + num(f.density) + ', log10 ' + num(Math.log10(f.density)) + '); max activation ' + num(f.max) +
      ', mean ' + num(f.mean) + '. Tokens: ' + f.tokenText + '.';
    app.appendChild(el('p', { 'class': 'about' }, [stats]));
    app.appendChild(section('Top activations', f.top.map(function (c) { return context(c, f.max); })));
    app.appendChild(section('Below the top', f.bands.filter(function (band) { return band.firings > 0; }).map(function (band) {
      return el('div', { 'class': 'band' }, [el('h3', {}, ['activations in (' + num(band.from) + ', ' + num(band.to) + ']: ' + band.firings + ' rows'])]
        .concat(band.samples.map(function (c) { return context(c, f.max); })));
    })));
    app.appendChild(section('Activation histogram', [histogram('rows by activation (non-zero)', f.histogram, 0, f.max, 'activation', false)]));
    app.appendChild(section('Nearest tokens to its decoder direction', [el('p', {}, ['Basis: ' + f.basis + '.']),
      el('ol', { 'class': 'nearest' }, f.nearest.map(function (n) { return el('li', {}, [n[0] + ' ', el('span', { 'class': 'val' }, [num(n[1])])]); }))]));
    if (f.trajectory.length < 2) return;
    var layers = f.trajectory.map(function (p) { return p.layer; });
    app.appendChild(section('Through the layers', [
      lineChart('decoder norm and cosines', layers, [
        { name: 'norm', values: f.trajectory.map(function (p) { return p.norm; }) },
        { name: 'cos to birth', values: f.trajectory.map(function (p) { return p.cosBirth; }) },
        { name: 'cos to previous', values: f.trajectory.map(function (p) { return p.cosPrevious; }) }]),
      lineChart('share of variance', layers, [{ name: 'share', values: f.trajectory.map(function (p) { return p.share; }) }]),
      el('p', {}, ['Its activation is computed once, at birth: at each later layer it fires on the same rows with the same value, ' +
        'and adds value × its decoder row there. Below, its top contexts at each later layer, by that contribution (value × norm).'])]
      .concat(f.trajectory.slice(1).map(function (p) {
        return el('div', { 'class': 'band' }, [el('h3', {}, ['layer ' + p.layer + ': norm ' + num(p.norm) + ', cos to birth ' + num(p.cosBirth) +
          ', share ' + num(p.share)])].concat(f.top.slice(0, 3).map(function (c) { return context(c, f.max * Math.max(p.norm, 1e-9), p.norm); })));
      }))));
  }

  if (document.body.getAttribute('data-page') === 'index') index(); else feature();
})();
