// Cairn's UI script: the only script of its own that pages run (the Content-Security-Policy allows no inline
// script). It draws every element with data-chart from the JSON at its data-src, loading ECharts only on pages
// that have a chart, and again after htmx swaps part of a page.
(function () {
  'use strict';

  var echartsLoading = null;
  // Beyond this many series a line chart is drawn for many (see draw).
  var MANY_SERIES = 20;

  function loadEcharts() {
    if (window.echarts) return Promise.resolve(window.echarts);
    if (echartsLoading) return echartsLoading;
    echartsLoading = new Promise(function (resolve, reject) {
      var script = document.createElement('script');
      script.src = '/ui/assets/echarts.min.js';
      script.onload = function () { resolve(window.echarts); };
      script.onerror = reject;
      document.head.appendChild(script);
    });
    return echartsLoading;
  }

  // Parallel coordinates (tuning trials): one axis per differing param, the metric last, one line per run.
  function drawParallel(element, echarts, data) {
    var chart = echarts.init(element, null, { renderer: 'canvas' });
    chart.setOption({
      animation: false,
      tooltip: { renderMode: 'richText' },
      parallelAxis: data.dimensions.map(function (d, i) {
        return d.type === 'category' ? { dim: i, name: d.name, type: 'category', data: d.categories } : { dim: i, name: d.name, type: 'value', scale: true };
      }),
      parallel: { left: 60, right: 80, top: 40, bottom: 30 },
      series: [{ type: 'parallel', lineStyle: { width: 2, opacity: 0.7 }, data: data.lines.map(function (l) { return { name: l.name, value: l.values }; }) }]
    });
    element.setAttribute('data-points', String(data.lines.length));
    element.setAttribute('data-rendered', 'true');
    window.addEventListener('resize', function () { chart.resize(); });
  }

  // Bars by category (a column's histogram, its most frequent values).
  function drawBar(element, echarts, data) {
    var chart = echarts.init(element, null, { renderer: 'canvas' });
    chart.setOption({
      animation: false,
      tooltip: { trigger: 'axis', renderMode: 'richText' },
      grid: { left: 50, right: 10, top: 10, bottom: 50 },
      xAxis: { type: 'category', data: data.categories, name: data.x || '', nameLocation: 'middle', nameGap: 35,
               axisLabel: { hideOverlap: true } },
      yAxis: { type: 'value' },
      series: data.series.map(function (s) { return { name: s.name, type: 'bar', data: s.values }; })
    });
    element.setAttribute('data-points', String(data.series.reduce(function (n, s) { return n + s.values.length; }, 0)));
    element.setAttribute('data-rendered', 'true');
    window.addEventListener('resize', function () { chart.resize(); });
  }

  // Lines: a metric by step, a curve (ROC, precision-recall: data.range fixes both axes), a series over time (xType 'time').
  function draw(element, echarts, data) {
    if (data.kind === 'parallel') { drawParallel(element, echarts, data); return; }
    if (data.kind === 'bar') { drawBar(element, echarts, data); return; }
    var chart = echarts.init(element, null, { renderer: 'canvas' });
    // Many overlaid runs (a compare of 200): thin lines, a tooltip for the line under the pointer rather than a list
    // of every run at that step, and no hover highlight to redraw; the legend still names and toggles each run.
    var many = data.series.length > MANY_SERIES;
    var series = data.series.map(function (s) {
      return { name: s.name, type: 'line', showSymbol: !!data.symbols, sampling: 'none', data: s.points,
               lineStyle: many ? { width: 1 } : undefined, emphasis: many ? { disabled: true } : undefined };
    });
    var range = data.range || null;
    // data.shown: the series drawn at first (the legend switches on the others).
    var selected = null;
    if (data.shown) {
      selected = {};
      data.series.forEach(function (s) { selected[s.name] = data.shown.indexOf(s.name) >= 0; });
    }
    chart.setOption({
      animation: false,
      // richText keeps the tooltip inside the canvas: an HTML tooltip would need inline styles the policy refuses.
      tooltip: { trigger: range || many ? 'item' : 'axis', renderMode: 'richText' },
      legend: selected ? { type: 'scroll', top: 0, selected: selected } : { type: 'scroll', top: 0 },
      grid: { left: 60, right: 20, top: 40, bottom: 40 },
      xAxis: { type: data.xType || 'value', name: data.x || 'step', nameLocation: 'middle', nameGap: 25,
               min: range ? range[0] : null, max: range ? range[1] : null },
      yAxis: { type: 'value', scale: !range, name: data.y || '', min: range ? range[0] : null, max: range ? range[1] : null },
      series: series
    });
    element.setAttribute('data-points', String(data.series.reduce(function (n, s) { return n + s.points.length; }, 0)));
    element.setAttribute('data-series', String(data.series.length));
    element.setAttribute('data-rendered', 'true');
    window.addEventListener('resize', function () { chart.resize(); });
  }

  // The chart data is requested at once, while ECharts loads and runs: the two no longer wait for each other.
  function drawCharts(root) {
    var elements = Array.prototype.slice.call(root.querySelectorAll('[data-chart]:not([data-rendered])'));
    if (elements.length === 0) return;
    var library = loadEcharts();
    elements.forEach(function (element) {
      var data = fetch(element.getAttribute('data-src'), { headers: { 'Accept': 'application/json' } })
        .then(function (response) {
          if (!response.ok) throw new Error('HTTP ' + response.status);
          return response.json();
        });
      Promise.all([library, data])
        .then(function (loaded) { draw(element, loaded[0], loaded[1]); })
        .catch(function (error) {
          element.setAttribute('data-rendered', 'error');
          element.textContent = 'The chart could not be loaded: ' + (error && error.message ? error.message : 'the chart library did not load');
        });
    });
  }

  document.addEventListener('DOMContentLoaded', function () { drawCharts(document); });
  document.addEventListener('htmx:afterSwap', function (event) { drawCharts(event.target); });
})();
