package dev.quell.cli;

import dev.quell.core.finding.Finding;
import dev.quell.core.response.ResponseResult;
import dev.quell.core.response.StepResult;
import java.io.PrintStream;
import java.util.Locale;

/** Prints results for a person reading a terminal. */
final class TextReport {

    private final PrintStream out;

    TextReport(PrintStream out) {
        this.out = out;
    }

    void finding(Finding finding, String file) {
        out.printf(Locale.ROOT, "%nfinding %s (%s)%n", finding.id(), file);
        out.printf(Locale.ROOT, "  %s, severity %.1f %s, account %s, region %s%s%s%n", finding.type(),
                finding.severity().score(), finding.severity().label(), finding.accountId(), finding.region(),
                finding.sample() ? ", SAMPLE" : "", finding.archived() ? ", ARCHIVED" : "");
        if (finding.title() != null) {
            out.println("  " + finding.title());
        }
    }

    void result(ResponseResult result) {
        out.printf(Locale.ROOT, "  %s: %s (%s)%n", result.action(), result.outcome(), result.decision().outcome());
        out.println("  reason: " + result.decision().reason());
        for (StepResult step : result.steps()) {
            out.printf(Locale.ROOT, "    %-28s %-8s %s%s%n", step.name(), step.status(),
                    step.detail() == null ? "" : step.detail(),
                    step.errorCode() == null ? "" : " [" + step.errorCode() + "]");
        }
        if (result.verification() != null) {
            out.println("  verification: " + result.verification());
        }
    }

    void line(String text) {
        out.println(text);
    }
}
