// Draws the report from the JSON in #report-data with Chart.js (inlined above). When every chart has been
// drawn, <body data-rendered="true" data-charts="N">: the browser test waits for that marker.
(function () {
  'use strict';
  const data = JSON.parse(document.getElementById('report-data').textContent);
  Chart.defaults.animation = false;       // draw synchronously: the page is static
  Chart.defaults.maintainAspectRatio = true;
  const charts = [];
  const palette = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
  const color = i => palette[i % palette.length];

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  function points(xs, ys) {
    const out = [];
    for (let i = 0; i < xs.length; i++) if (ys[i] !== null && ys[i] !== undefined) out.push({x: xs[i], y: ys[i]});
    return out;
  }

  function xy(canvasId, title, xTitle, yTitle, series, extra) {
    const datasets = series.map((s, i) => ({label: s.label, data: s.data, borderColor: s.color || color(i),
      backgroundColor: s.color || color(i), pointRadius: s.data.length > 60 ? 0 : 2, borderWidth: 1.5, tension: 0}));
    const options = Object.assign({
      plugins: {title: {display: true, text: title}, legend: {display: series.length > 1}},
      scales: {x: {type: 'linear', title: {display: true, text: xTitle}}, y: {title: {display: true, text: yTitle}}}
    }, extra || {});
    charts.push(new Chart(document.getElementById(canvasId), {type: 'line', data: {datasets}, options}));
  }

  function bars(canvas, title, labels, series, stacked, yTitle) {
    const datasets = series.map((s, i) => ({label: s.label, data: s.data, backgroundColor: s.color || color(i)}));
    charts.push(new Chart(canvas, {type: 'bar', data: {labels, datasets}, options: {
      plugins: {title: {display: true, text: title}, legend: {display: series.length > 1}},
      scales: {x: {stacked}, y: {stacked, title: {display: !!yTitle, text: yTitle || ''}}}}}));
  }

  // title and summary
  document.getElementById('title').textContent = data.title;
  const summary = document.getElementById('summary');
  for (const [k, v] of Object.entries(data.summary || {})) {
    summary.appendChild(el('dt', {}, k.replace(/_/g, ' ')));
    summary.appendChild(el('dd', {}, typeof v === 'number' && !Number.isInteger(v) ? v.toPrecision(5) : v));
  }

  // training curves
  const r = data.rounds, e = data.evaluations;
  xy('chart-loss', 'Loss', 'global step', 'loss (nats/token)', [
    {label: 'training (mean over workers)', data: points(r.step, r.train_loss)},
    {label: 'validation', data: points(e.step, e.val_loss)}]);
  xy('chart-perplexity', 'Validation perplexity', 'global step', 'perplexity', [
    {label: 'validation', data: points(e.step, e.val_perplexity), color: color(1)}]);
  xy('chart-throughput', 'Throughput', 'round', 'training tokens/s (all workers)', [
    {label: 'tokens/s', data: points(r.round, r.tokens_per_s), color: color(2)}]);
  const split = [
    {label: 'compute (slowest worker)', data: r.compute_s},
    {label: 'averaging (driver)', data: r.averaging_s},
    {label: 'scheduling and transfer', data: r.scheduling_s}];
  bars(document.getElementById('chart-round-time'), 'Round time', r.round, split, true, 'seconds');

  // routing
  const rt = data.routing, root = document.getElementById('routing');
  if (!rt) {
    root.appendChild(el('p', {class: 'note'}, 'No routing statistics in this run (a dense model, or routing_every = 0).'));
  } else {
    root.appendChild(el('h2', {}, 'Routing'));
    root.appendChild(el('p', {class: 'note'}, rt.shape.layers + ' layers × ' + rt.shape.mosa_heads + ' MoSA heads, k = '
      + rt.shape.selected_per_head + ' of T = ' + rt.shape.seq_len + ' tokens per head; statistics from '
      + (rt.routing_every === 1 ? 'every training step' : 'one training step in ' + rt.routing_every)
      + '; histograms and tables of rounds ' + rt.last.from_round + '–' + rt.last.to_round + '.'));
    const grid = root.appendChild(el('div', {class: 'grid'}));
    const fig = id => grid.appendChild(el('figure', {class: 'chart'})).appendChild(el('canvas', {id}));
    fig('chart-coverage');
    fig('chart-overlap');
    xy('chart-coverage', 'Coverage: share of tokens no head selects', 'round (end of interval)', 'share', rt.layers.map(
      l => ({label: 'layer ' + l.layer, data: points(rt.interval_end, l.uncovered_share)})));
    xy('chart-overlap', 'Head overlap: mean Jaccard of two heads’ selections', 'round (end of interval)', 'Jaccard',
      rt.layers.map(l => ({label: 'layer ' + l.layer, data: points(rt.interval_end, l.head_overlap_jaccard)})));
    if (rt.drift.round.length > 0) {
      fig('chart-drift');
      xy('chart-drift', 'Replica drift (' + rt.drift.rule + '): Jaccard of worker vs averaged-model selections',
        'round', 'Jaccard (1 = unchanged)', [{label: 'all layers', data: points(rt.drift.round, rt.drift.mean), color: '#000'}]
          .concat(rt.drift.layers.map((ys, i) => ({label: 'layer ' + i, data: points(rt.drift.round, ys)}))));
    }
    for (const layer of rt.last.layers) {
      root.appendChild(el('h3', {}, 'Layer ' + layer.layer + ': uncovered ' + (100 * layer.uncovered_share).toFixed(1)
        + '%, head overlap ' + layer.head_overlap_jaccard.toFixed(3)));
      const small = root.appendChild(el('div', {class: 'small'}));
      for (const h of layer.heads) {
        const c = small.appendChild(el('figure', {class: 'chart'})).appendChild(el('canvas', {id: 'chart-positions-' + layer.layer + '-' + h.head}));
        bars(c, 'head ' + h.head + ': positions (entropy ' + h.load_entropy.toFixed(2) + ', pos 0 ' + (100 * h.first_position_share).toFixed(1) + '%)',
          rt.bin_starts, [{label: 'selections', data: h.position_histogram, color: color(h.head)}], false);
      }
      const table = root.appendChild(el('table'));
      const head = table.appendChild(el('tr'));
      for (const t of ['head', 'score p50 selected', 'score p50 all', 'most-selected tokens (share of the head’s selections)']) head.appendChild(el('th', {}, t));
      for (const h of layer.heads) {
        const tr = table.appendChild(el('tr'));
        tr.appendChild(el('td', {}, h.head));
        tr.appendChild(el('td', {}, h.score_selected ? h.score_selected.p50.toFixed(3) : '–'));
        tr.appendChild(el('td', {}, h.score_all ? h.score_all.p50.toFixed(3) : '–'));
        tr.appendChild(el('td', {class: 'text'}, h.tokens.slice(0, 8).map(t => (t.text !== null ? t.text : '#' + t.id)
          + ' ' + (100 * t.share).toFixed(1) + '%').join('   ')));
      }
    }
  }

  document.body.dataset.charts = String(charts.length);
  document.body.dataset.rendered = charts.every(c => c.width > 0 && c.height > 0) ? 'true' : 'false';
})();
