package dev.quell.iam;

import java.util.List;

/** The post-state check's result text: {@code verified}, or every mismatch found. */
public final class Verification {

    public static final String VERIFIED = "verified";

    private Verification() {
    }

    /** Returns {@code verified} when there is no mismatch, else the mismatches joined into one sentence each. */
    public static String of(List<String> mismatches) {
        return mismatches.isEmpty() ? VERIFIED : String.join(". ", mismatches);
    }
}
