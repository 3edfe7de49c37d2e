// The chart baseline of bench/ui: draws every point of the histories exactly as the JSON API returned them (an array
// of metrics/get-history answers), with the ECharts file and line options Cairn's cairn.js uses, but no downsampling.
// It records when the chart was drawn in window.__bench.drawn, as the benchmark's observer does for Cairn's pages.
(function () {
  'use strict';
  document.addEventListener('DOMContentLoaded', function () {
    var element = document.getElementById('baseline-chart');
    fetch(element.getAttribute('data-raw'), { headers: { 'Accept': 'application/json' } })
      .then(function (response) { return response.json(); })
      .then(function (answers) {
        var points = 0;
        var series = answers.map(function (answer, i) {
          var data = (answer.metrics || []).map(function (m) { return [m.step, m.value]; });
          points += data.length;
          return { name: 'run ' + i, type: 'line', showSymbol: false, sampling: 'none', data: data };
        });
        var chart = echarts.init(element, null, { renderer: 'canvas' });
        chart.setOption({
          animation: false,
          tooltip: { trigger: 'axis', renderMode: 'richText' },
          legend: { type: 'scroll', top: 0 },
          grid: { left: 60, right: 20, top: 40, bottom: 40 },
          xAxis: { type: 'value', name: 'step', nameLocation: 'middle', nameGap: 25 },
          yAxis: { type: 'value', scale: true },
          series: series
        });
        element.setAttribute('data-points', String(points));
        window.__bench.drawn = performance.now();
      });
  });
})();
