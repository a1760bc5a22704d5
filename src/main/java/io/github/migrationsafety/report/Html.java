package io.github.migrationsafety.report;

/**
 * Builds HTML text where every value is escaped: {@link #text} for content and {@link #open(String, String...)}
 * attribute values pass through the {@link Redactor} and then HTML escaping, so a changeset id, a database row or a
 * file name can never open a tag, close an attribute or show a secret. Tag names and attribute names are constants
 * of this package, never data.
 */
final class Html {

    private final StringBuilder out = new StringBuilder(16_384);
    private final Redactor redactor;

    Html(Redactor redactor) {
        this.redactor = redactor;
    }

    /** {@code <tag name="value" ...>}; attributes come in name/value pairs, a {@code null} value leaves one out. */
    Html open(String tag, String... attributes) {
        out.append('<').append(tag);
        for (int i = 0; i + 1 < attributes.length; i += 2) {
            if (attributes[i + 1] != null) {
                out.append(' ')
                        .append(attributes[i])
                        .append("=\"")
                        .append(escape(redactor.redact(attributes[i + 1])))
                        .append('"');
            }
        }
        out.append('>');
        return this;
    }

    Html close(String tag) {
        out.append("</").append(tag).append('>');
        return this;
    }

    /** {@code <tag attributes>text</tag>}. */
    Html element(String tag, String text, String... attributes) {
        return open(tag, attributes).text(text).close(tag);
    }

    /** Escaped text; {@code null} shows as nothing. */
    Html text(String text) {
        if (text != null) {
            out.append(escape(redactor.redact(text)));
        }
        return this;
    }

    /**
     * A value inside a sentence, isolated for bidirectional text: a name with a right-to-left override character
     * cannot reorder the words around it.
     */
    Html value(String text) {
        return element("bdi", text);
    }

    /** Markup written by this package (the style sheet, the script, SVG built from escaped parts); never data. */
    Html markup(String trusted) {
        out.append(trusted);
        return this;
    }

    Html newline() {
        out.append('\n');
        return this;
    }

    Redactor redactor() {
        return redactor;
    }

    @Override
    public String toString() {
        return out.toString();
    }

    /**
     * Escapes the five characters that carry meaning in HTML text and attribute values. Control characters other
     * than tab, newline and carriage return are shown as {@code \\uXXXX}: HTML forbids them, and a report should
     * show that they are there.
     */
    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' || c == 0x7F) {
                        escaped.append(String.format("\\u%04x", (int) c));
                    } else {
                        escaped.append(c);
                    }
                }
            }
        }
        return escaped.toString();
    }
}
