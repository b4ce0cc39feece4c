/** The command-line interface, one class per command; {@link org.langneurons.cli.Main} is the jar's main class. */
package org.langneurons.cli;
