/**
 * Interventions on neurons: {@link org.langneurons.intervention.Intervention} sets chosen neurons to an
 * {@link org.langneurons.intervention.InterventionValue} (zero, a constant, or a language's statistic of a named
 * recorded tensor), scales or shifts them, at all, prompt or generated positions, through hooks, so the same
 * change applies in forwards, losses and every generation step.
 */
package org.langneurons.intervention;
