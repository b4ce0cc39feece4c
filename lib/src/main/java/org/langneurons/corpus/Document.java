package org.langneurons.corpus;

/**
 * One document: a paragraph (or an article, or a group of UI messages) of plain text without line breaks.
 *
 * <pre>{@code
 * Document d = new Document("handbook:sect.apt#3", "Le paquet est installé.");
 * String unit = Splits.unit(d.id(), d.text());   // "handbook:sect.apt": its translations share it
 * }</pre>
 *
 * @param id alignment id {@code source:unit#part}, shared by the translations of the same text where the source is
 *        parallel; {@code null} when there is none
 * @param text the text
 */
public record Document(String id, String text) {
}
