/**
 * Tables, figures and display for notebooks: {@link org.langneurons.notebook.NeuronTables} (Tablesaw tables of
 * neuron sets and statistics: Mondal et al.'s Table 6, Tang et al.'s published masks),
 * {@link org.langneurons.notebook.NeuronCharts} (their Plotly figures), {@link org.langneurons.notebook.Display}
 * (rich output in any Java kernel, found by reflection) and {@link org.langneurons.notebook.NotebookProgress} (one
 * progress bar updated in place). Result types of experiments render themselves ({@code table()},
 * {@code figure()}).
 */
package org.langneurons.notebook;
