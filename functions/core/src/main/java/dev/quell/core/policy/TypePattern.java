package dev.quell.core.policy;

/** Finding type patterns, where {@code *} matches any run of characters and everything else matches itself. */
final class TypePattern {

    private TypePattern() {
    }

    static boolean matches(String pattern, String type) {
        return matchFrom(pattern, 0, type, 0);
    }

    /** Returns the text before the first {@code *}, or the whole pattern when it has none. */
    static String prefix(String pattern) {
        int star = pattern.indexOf('*');
        return star < 0 ? pattern : pattern.substring(0, star);
    }

    private static boolean matchFrom(String pattern, int p, String text, int t) {
        if (p == pattern.length()) {
            return t == text.length();
        }
        if (pattern.charAt(p) == '*') {
            for (int i = t; i <= text.length(); i++) {
                if (matchFrom(pattern, p + 1, text, i)) {
                    return true;
                }
            }
            return false;
        }
        return t < text.length() && pattern.charAt(p) == text.charAt(t) && matchFrom(pattern, p + 1, text, t + 1);
    }
}
