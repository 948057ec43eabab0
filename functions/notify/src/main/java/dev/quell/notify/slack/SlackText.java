package dev.quell.notify.slack;

import dev.quell.core.finding.Indicators;
import dev.quell.core.response.ResponseResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Renders a response as readable plain text with the same content as the Slack message, for a terminal or a log
 * reader. Pure, and not escaped for Slack; access key ids are still cut to their last four characters.
 */
public final class SlackText {

    private SlackText() {
    }

    /** Renders the result with no account aliases. */
    public static String render(ResponseResult result) {
        return render(result, Map.of());
    }

    /**
     * Renders the result as lines of plain text.
     *
     * @throws IllegalArgumentException when the result carries no finding
     */
    public static String render(ResponseResult result, Map<String, String> accountAliases) {
        Report report = Report.of(result, accountAliases);
        List<String> lines = new ArrayList<>();
        lines.add(report.headline());
        lines.add(report.outcomeText() + report.action().map(action -> " (" + action
                + report.actedOn().map(resource -> " on " + resource).orElse("") + ")").orElse(""));
        report.reason().ifPresent(reason -> lines.add("Why: " + reason));
        report.verification().ifPresent(check -> lines.add("Verification: " + check));
        lines.add("");
        for (Report.Fact fact : report.facts()) {
            lines.add(fact.label() + ": " + fact.values().stream().map(SlackText::value)
                    .collect(Collectors.joining("; ")));
        }
        report.description().ifPresent(description -> section(lines, "Description", List.of(description)));
        indicators(lines, report.indicators());
        section(lines, "Steps", report.stepLines());
        section(lines, report.preStateHeading(), report.preStateLines());
        section(lines, "Not covered by this response", report.notCovered().stream().map(gap -> "- " + gap)
                .toList());
        section(lines, "Links", report.links().stream().map(link -> link.label() + ": " + link.url()).toList());
        report.releaseCommand().ifPresent(command -> section(lines, "Release", List.of(command)));
        lines.add("");
        lines.add(report.footer());
        return SlackEscape.maskAccessKeys(String.join("\n", lines));
    }

    private static String value(Report.Value value) {
        StringBuilder text = new StringBuilder();
        if (!value.kind().isEmpty()) {
            text.append(value.kind()).append(' ');
        }
        text.append(value.code());
        if (value.note() != null) {
            text.append(" (").append(value.note()).append(')');
        }
        return text.toString();
    }

    private static void indicators(List<String> lines, Indicators indicators) {
        List<String> entries = new ArrayList<>();
        if (!indicators.remoteIps().isEmpty()) {
            entries.add("Remote IPs: " + String.join(", ", indicators.remoteIps()));
        }
        if (!indicators.domains().isEmpty()) {
            entries.add("Domains: " + String.join(", ", indicators.domains()));
        }
        if (!indicators.ports().isEmpty()) {
            entries.add("Ports: " + indicators.ports().stream().map(String::valueOf)
                    .collect(Collectors.joining(", ")));
        }
        section(lines, "Indicators", entries);
    }

    private static void section(List<String> lines, String heading, List<String> body) {
        if (body.isEmpty()) {
            return;
        }
        lines.add("");
        lines.add(heading + ":");
        lines.addAll(body);
    }
}
