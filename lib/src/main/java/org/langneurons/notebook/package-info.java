/**
 * Tables and plots for notebooks and reports: {@link org.langneurons.notebook.NeuronTables} (Tablesaw tables of
 * the papers' analyses), {@link org.langneurons.notebook.NeuronCharts} (Plotly figures) and
 * {@link org.langneurons.notebook.Plotly} (pages with plotly.js inline, so figures render offline).
 */
package org.langneurons.notebook;
