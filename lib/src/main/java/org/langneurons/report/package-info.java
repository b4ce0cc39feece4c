/**
 * Figures as pages that render offline: {@link org.langneurons.report.Plotly} (plotly.js inline from the pinned npm
 * package, never a CDN) and {@link org.langneurons.report.Charts} (the chart shapes result types draw with). Result
 * types such as {@code PerplexityChange} and {@code Steering.Matrix} render themselves with these; the CLI saves
 * their figures as pages and notebooks show them inline.
 */
package org.langneurons.report;
