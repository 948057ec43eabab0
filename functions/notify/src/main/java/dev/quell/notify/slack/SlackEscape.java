package dev.quell.notify.slack;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Escapes text that Quell did not write (finding titles, descriptions, tag values, user names) for Slack, so it
 * cannot mention anyone, inject a link or break the message's formatting.
 *
 * <p>Slack reads {@code &}, {@code <} and {@code >} as control characters in every text object and decodes only
 * {@code &amp;}, {@code &lt;} and {@code &gt;}, so those three are encoded and nothing else is. With {@code <}
 * encoded, no {@code <!channel>}, {@code <!here>}, {@code <@U…>} or {@code <http://x|y>} survives. The bare words
 * {@code @channel}, {@code @here} and {@code @everyone} get a zero-width space after the {@code @}, so a client that
 * links names cannot turn them into a broadcast either. Access key ids are cut to their last four characters.
 */
public final class SlackEscape {

    private static final Pattern BROADCAST = Pattern.compile("(?i)@(channel|here|everyone)\\b");
    private static final Pattern ACCESS_KEY = Pattern.compile("\\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{12,16}\\b");
    private static final char ZERO_WIDTH_SPACE = '\u200B';

    /** Replaces the backtick inside code spans, where mrkdwn has no escape for it. */
    static final char BACKTICK_STANDIN = '\u02CB';

    private SlackEscape() {
    }

    /** Returns the text safe for a {@code plain_text} object: access keys masked, broadcasts defused, escaped. */
    public static String plain(String raw) {
        return entities(defuse(raw));
    }

    /**
     * Returns the text safe for a {@code mrkdwn} object as prose: {@link #plain} and then the formatting characters
     * replaced by look-alikes that mrkdwn ignores ({@code *} by U+2217, {@code ~} by U+223C, {@code `} by U+02CB).
     * An underscore is replaced (by U+02CD) only at a word edge, where mrkdwn could read it as italics, so
     * {@code snake_case} names stay intact.
     */
    public static String mrkdwn(String raw) {
        return formatting(plain(raw));
    }

    /** Returns the text as a mrkdwn code span, inside which mrkdwn applies no formatting. */
    public static String code(String raw) {
        return "`" + codeBody(defuse(raw)) + "`";
    }

    /** Returns the access key ids in the text reduced to {@code …} and their last four characters. */
    public static String maskAccessKeys(String raw) {
        Matcher matcher = ACCESS_KEY.matcher(raw);
        StringBuilder out = new StringBuilder();
        while (matcher.find()) {
            String key = matcher.group();
            matcher.appendReplacement(out, Matcher.quoteReplacement(lastFour(key)));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** Returns an access key id as {@code …} and its last four characters. */
    public static String lastFour(String accessKeyId) {
        return accessKeyId.length() <= 4 ? "…" + accessKeyId : "…" + accessKeyId.substring(accessKeyId.length() - 4);
    }

    /**
     * Returns the raw text with access keys masked and broadcast words defused, before any escaping. Truncation
     * works on this form, so that a cut can never leave part of an access key unmasked.
     */
    static String defuse(String raw) {
        String masked = maskAccessKeys(raw == null ? "" : raw);
        return BROADCAST.matcher(masked).replaceAll("@" + ZERO_WIDTH_SPACE + "$1");
    }

    /** Encodes Slack's three control characters. */
    static String entities(String text) {
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** Replaces mrkdwn's formatting characters in already escaped text. */
    static String formatting(String escaped) {
        StringBuilder out = new StringBuilder(escaped.length());
        for (int i = 0; i < escaped.length(); i++) {
            char c = escaped.charAt(i);
            switch (c) {
                case '*' -> out.append('\u2217');
                case '~' -> out.append('\u223C');
                case '`' -> out.append(BACKTICK_STANDIN);
                case '_' -> out.append(atWordEdge(escaped, i) ? '\u02CD' : '_');
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** Escapes the body of a code span: entities, and the backtick that would end the span. */
    static String codeBody(String defused) {
        return entities(defused).replace('`', BACKTICK_STANDIN);
    }

    private static boolean atWordEdge(String text, int index) {
        boolean before = index > 0 && Character.isLetterOrDigit(text.charAt(index - 1));
        boolean after = index + 1 < text.length() && Character.isLetterOrDigit(text.charAt(index + 1));
        return !(before && after);
    }
}
