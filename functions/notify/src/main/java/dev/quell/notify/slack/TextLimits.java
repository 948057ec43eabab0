package dev.quell.notify.slack;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * Fits text into Slack's length limits, cutting visibly: a cut text ends with a marker that states how much
 * was left out, such as {@code … (truncated, 1,234 more characters)}. Lengths are counted in UTF-16 code units, which
 * is never fewer than the characters Slack counts.
 */
final class TextLimits {

    /** Slack's maximum length of a header block's text. */
    static final int HEADER = 150;
    /** Slack's maximum length of a section block's text. */
    static final int SECTION = 3000;
    /** Slack's maximum length of one section field's text. */
    static final int FIELD = 2000;
    /** Slack's maximum number of fields in one section. */
    static final int FIELDS_PER_SECTION = 10;
    /** Slack's maximum number of blocks in one message. */
    static final int BLOCKS = 50;
    /** Slack's maximum number of elements in a context block. */
    static final int CONTEXT_ELEMENTS = 10;

    private TextLimits() {
    }

    /**
     * Returns the escaped text cut to at most {@code limit} characters, with a marker when it was cut.
     *
     * @param defused the raw text after {@link SlackEscape#defuse}, so that the cut never splits a masked value
     * @param escaper the escaping to apply; it must work character by character, as Slack's escaping does
     */
    static String fit(String defused, int limit, UnaryOperator<String> escaper) {
        String whole = escaper.apply(defused);
        if (whole.length() <= limit) {
            return whole;
        }
        int low = 0;
        int high = defused.length();
        String best = escaper.apply("") + charactersMarker(defused.length());
        while (low <= high) {
            int middle = (low + high) >>> 1;
            int keep = safeCut(defused, middle);
            String candidate = escaper.apply(defused.substring(0, keep)).stripTrailing()
                    + charactersMarker(defused.length() - keep);
            if (candidate.length() <= limit) {
                best = candidate;
                low = middle + 1;
            } else {
                high = middle - 1;
            }
        }
        return best.length() <= limit ? best : best.substring(0, limit);
    }

    /** Returns the raw text cut to at most {@code limit} characters, with a marker when it was cut. */
    static String fitPlain(String text, int limit) {
        return fit(text, limit, UnaryOperator.identity());
    }

    /**
     * Joins already escaped items into chunks of at most {@code limit} characters each, at most {@code maxChunks}
     * chunks, and ends the last chunk with a marker when items were left out. An item longer than a chunk is cut.
     */
    static List<String> chunk(List<String> items, String separator, int limit, int maxChunks) {
        List<List<String>> groups = group(items, separator, limit);
        if (groups.size() <= maxChunks) {
            return groups.stream().map(group -> String.join(separator, group)).toList();
        }
        List<List<String>> kept = new ArrayList<>(groups.subList(0, maxChunks));
        List<String> last = new ArrayList<>(kept.get(maxChunks - 1));
        int keptItems = kept.stream().mapToInt(List::size).sum();
        while (!last.isEmpty() && String.join(separator, last).length() + separator.length()
                + itemsMarker(items.size() - keptItems).length() > limit) {
            last.remove(last.size() - 1);
            keptItems--;
        }
        last.add(itemsMarker(items.size() - keptItems));
        kept.set(maxChunks - 1, last);
        return kept.stream().map(group -> String.join(separator, group)).toList();
    }

    /** Groups items greedily so that each group, joined, fits the limit. */
    private static List<List<String>> group(List<String> items, String separator, int limit) {
        List<List<String>> groups = new ArrayList<>();
        List<String> current = new ArrayList<>();
        int length = 0;
        for (String raw : items) {
            String item = raw.length() > limit ? fitPlain(raw, limit) : raw;
            int needed = current.isEmpty() ? item.length() : length + separator.length() + item.length();
            if (needed > limit) {
                groups.add(current);
                current = new ArrayList<>();
                needed = item.length();
            }
            current.add(item);
            length = needed;
        }
        if (!current.isEmpty()) {
            groups.add(current);
        }
        return groups;
    }

    /** Returns the marker for cut text, counting the characters left out. */
    static String charactersMarker(int omitted) {
        return String.format(Locale.ROOT, "… (truncated, %,d more character%s)", omitted, omitted == 1 ? "" : "s");
    }

    /** Returns the marker for a cut list, counting the items left out. */
    static String itemsMarker(int omitted) {
        return String.format(Locale.ROOT, "… (truncated, %,d more)", omitted);
    }

    /** Moves a cut back by one when it would split a surrogate pair. */
    private static int safeCut(String text, int index) {
        if (index > 0 && index < text.length() && Character.isHighSurrogate(text.charAt(index - 1))) {
            return index - 1;
        }
        return index;
    }
}
