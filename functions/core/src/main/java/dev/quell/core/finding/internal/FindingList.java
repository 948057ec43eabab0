package dev.quell.core.finding.internal;

import dev.quell.core.finding.Finding;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Parses a JSON array of findings, one element at a time. */
public final class FindingList {

    private FindingList() {
    }

    /**
     * Parses every element with {@code parser}. The first element that is not an object or not a valid finding
     * rejects the whole list, and the exception's message names its index through the element's path.
     */
    public static List<Finding> parseEach(Node list, Function<Node, Finding> parser) {
        List<Finding> findings = new ArrayList<>();
        for (Node element : list.elements()) {
            findings.add(parser.apply(element.requireObject()));
        }
        return findings;
    }
}
