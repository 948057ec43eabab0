package dev.quell.notify.slack;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.quell.core.finding.Indicators;
import dev.quell.core.json.Json;
import dev.quell.core.response.ResponseResult;
import dev.quell.core.response.StepResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Slack message about one response: Block Kit blocks and a plain {@code text} that notifications and clients
 * without blocks show. Rendering is pure: the same result and aliases always give the same message.
 *
 * <p>Every message keeps within Slack's limits (50 blocks, 150 characters of header text, 3,000 per section text,
 * 10 fields per section, 2,000 per field) and cuts visibly where it must. Text that Quell did not write is escaped
 * by {@link SlackEscape}, so it cannot mention anyone or inject a link.
 */
public final class SlackMessage {

    /** The maximum length of the top-level {@code text}. Slack accepts more, but notifications show little. */
    static final int TEXT_LIMIT = 3000;

    private static final int VALUE_LIMIT = 300;
    private static final int PROSE_LIMIT = 1000;
    private static final int INDICATOR_CHUNKS = 4;
    private static final int STEP_CHUNKS = 8;

    private final String text;
    private final ArrayNode blocks;

    private SlackMessage(String text, ArrayNode blocks) {
        this.text = text;
        this.blocks = blocks;
    }

    /** Renders the full message for a result, with no account aliases. */
    public static SlackMessage render(ResponseResult result) {
        return render(result, Map.of());
    }

    /**
     * Renders the full message for a result.
     *
     * @param accountAliases a readable name per account id, shown next to the id
     * @throws IllegalArgumentException when the result carries no finding
     */
    public static SlackMessage render(ResponseResult result, Map<String, String> accountAliases) {
        Report report = Report.of(result, accountAliases);
        return new SlackMessage(notificationText(report), new Blocks(report).build());
    }

    /**
     * Renders the minimal message sent when Slack rejected the full one: plain text, no blocks, with the summary,
     * the reason and the release command.
     *
     * @param rejection Slack's error, for example {@code invalid_blocks}, or {@code null}
     */
    public static SlackMessage fallback(ResponseResult result, Map<String, String> accountAliases,
            String rejection) {
        Report report = Report.of(result, accountAliases);
        List<String> lines = new ArrayList<>();
        lines.add(report.summary());
        report.reason().ifPresent(reason -> lines.add("Why: " + reason));
        report.releaseCommand().ifPresent(command -> lines.add("Release: " + command));
        lines.add("(Slack rejected the full report" + (rejection == null ? "" : " with " + rejection)
                + ", so this is the short form. The Quell logs have every step.)");
        String defused = SlackEscape.defuse(String.join("\n", lines));
        return new SlackMessage(TextLimits.fit(defused, TEXT_LIMIT, SlackEscape::entities), null);
    }

    /** Returns the top-level {@code text}, already escaped for Slack. */
    public String text() {
        return text;
    }

    /** Returns a copy of the blocks, or empty for a text-only message. */
    public Optional<ArrayNode> blocks() {
        return Optional.ofNullable(blocks).map(ArrayNode::deepCopy);
    }

    /**
     * Returns the request body for an incoming webhook or {@code chat.postMessage}, without a channel. Link and
     * media previews are off, so Slack fetches no URL a finding names.
     */
    public ObjectNode payload() {
        ObjectNode payload = Json.mapper().createObjectNode();
        payload.put("text", text);
        if (blocks != null) {
            payload.set("blocks", blocks.deepCopy());
        }
        payload.put("unfurl_links", false);
        payload.put("unfurl_media", false);
        return payload;
    }

    /** Returns {@link #payload()} as JSON text. */
    public String toJson() {
        try {
            return Json.mapper().writeValueAsString(payload());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("could not write a Slack message as JSON", e);
        }
    }

    private static String notificationText(Report report) {
        return TextLimits.fit(SlackEscape.defuse(report.summary()), TEXT_LIMIT, SlackMessage::mrkdwnEscape);
    }

    private static String mrkdwnEscape(String defused) {
        return SlackEscape.formatting(SlackEscape.entities(defused));
    }

    /** Builds the blocks of one message, in display order. */
    private static final class Blocks {

        private final Report report;
        private final List<ObjectNode> list = new ArrayList<>();

        Blocks(Report report) {
            this.report = report;
        }

        ArrayNode build() {
            header();
            outcome();
            facts();
            report.description().ifPresent(this::description);
            indicators(report.indicators());
            steps();
            preState();
            notCovered();
            links();
            release();
            context(report.footer());
            return capped();
        }

        private void header() {
            String text = TextLimits.fit(SlackEscape.defuse(report.headline()), TextLimits.HEADER,
                    SlackEscape::entities);
            ObjectNode header = block("header");
            header.set("text", plainText(text));
            list.add(header);
        }

        private void outcome() {
            StringBuilder text = new StringBuilder(report.outcomeEmoji()).append(" *")
                    .append(report.outcomeText()).append('*');
            report.action().ifPresent(action -> text.append(" · ").append(code(action))
                    .append(report.actedOn().map(resource -> " on " + code(resource)).orElse("")));
            for (String mark : report.marks()) {
                text.append('\n').append(markLine(mark));
            }
            report.reason().ifPresent(reason -> text.append("\n*Why:* ").append(prose(reason)));
            report.verification().ifPresent(check -> text.append("\n*Verification:* ").append(prose(check)));
            list.add(section(text.toString()));
        }

        private static String markLine(String mark) {
            return "DRY RUN".equals(mark)
                    ? "*DRY RUN:* Quell changed nothing. The steps say what it would do."
                    : "*SAMPLE:* AWS generated this finding for testing. It is not a real threat.";
        }

        private void facts() {
            List<String> fields = new ArrayList<>();
            for (Report.Fact fact : report.facts()) {
                fields.add(field(fact));
            }
            for (int start = 0; start < fields.size(); start += TextLimits.FIELDS_PER_SECTION) {
                List<String> slice = fields.subList(start, Math.min(fields.size(),
                        start + TextLimits.FIELDS_PER_SECTION));
                ObjectNode section = block("section");
                ArrayNode array = section.putArray("fields");
                slice.forEach(text -> array.add(mrkdwnText(text)));
                list.add(section);
            }
        }

        private static String field(Report.Fact fact) {
            String heading = "*" + fact.label() + "*\n";
            List<String> values = new ArrayList<>();
            for (Report.Value value : fact.values()) {
                StringBuilder line = new StringBuilder();
                if (!value.kind().isEmpty()) {
                    line.append(SlackEscape.mrkdwn(value.kind())).append(' ');
                }
                line.append(code(value.code()));
                if (value.note() != null) {
                    line.append(' ').append(prose(value.note(), VALUE_LIMIT));
                }
                values.add(line.toString());
            }
            List<String> chunks = TextLimits.chunk(values, "\n", TextLimits.FIELD - heading.length(), 1);
            return chunks.isEmpty() ? heading.strip() : heading + chunks.get(0);
        }

        private void description(String description) {
            String text = TextLimits.fit(SlackEscape.defuse(description), TextLimits.SECTION, SlackEscape::entities);
            ObjectNode section = block("section");
            section.set("text", plainText(text));
            list.add(section);
        }

        private void indicators(Indicators indicators) {
            codeList("Remote IPs", indicators.remoteIps());
            codeList("Domains", indicators.domains());
            codeList("Ports", indicators.ports().stream().map(String::valueOf).toList());
        }

        private void codeList(String label, List<String> values) {
            if (values.isEmpty()) {
                return;
            }
            String heading = "*" + label + " (" + values.size() + ")*\n";
            List<String> items = values.stream().map(value -> code(value)).toList();
            List<String> chunks = TextLimits.chunk(items, ", ", TextLimits.SECTION - heading.length(),
                    INDICATOR_CHUNKS);
            for (int i = 0; i < chunks.size(); i++) {
                list.add(section(i == 0 ? heading + chunks.get(i) : chunks.get(i)));
            }
        }

        private void steps() {
            if (report.steps().isEmpty()) {
                return;
            }
            List<String> lines = new ArrayList<>();
            for (StepResult step : report.steps()) {
                lines.add(stepLine(step));
            }
            String heading = "*Steps*\n";
            List<String> chunks = TextLimits.chunk(lines, "\n", TextLimits.SECTION - heading.length(), STEP_CHUNKS);
            for (int i = 0; i < chunks.size(); i++) {
                list.add(section(i == 0 ? heading + chunks.get(i) : chunks.get(i)));
            }
        }

        private static String stepLine(StepResult step) {
            StringBuilder line = new StringBuilder(stepEmoji(step)).append(" *")
                    .append(SlackEscape.mrkdwn(Report.present(step.name()).orElse("unnamed step"))).append("*: ");
            String status = Report.statusWord(step);
            if (step.failed() && Report.present(step.errorCode()).isPresent()) {
                line.append("failed with ").append(code(step.errorCode()));
            } else {
                line.append(status);
            }
            Report.present(step.detail()).ifPresent(detail -> line.append(" — ").append(prose(detail)));
            return line.toString();
        }

        private static String stepEmoji(StepResult step) {
            if (step.status() == null) {
                return "\u2754";
            }
            return switch (step.status()) {
                case DONE -> "\u2705";
                case SKIPPED -> "\u23ED\uFE0F";
                case FAILED -> "\u274C";
                case PLANNED -> "\uD83D\uDCDD";
            };
        }

        private void preState() {
            List<String> lines = report.preStateLines();
            if (lines.isEmpty()) {
                return;
            }
            String heading = "*" + report.preStateHeading() + "*\n```";
            String closing = "```";
            String body = TextLimits.fit(SlackEscape.defuse(String.join("\n", lines)),
                    TextLimits.SECTION - heading.length() - closing.length(), SlackEscape::codeBody);
            list.add(section(heading + body + closing));
        }

        private void notCovered() {
            List<String> gaps = report.notCovered();
            if (gaps.isEmpty()) {
                return;
            }
            StringBuilder text = new StringBuilder("*Not covered by this response*");
            gaps.forEach(gap -> text.append("\n• ").append(SlackEscape.mrkdwn(gap)));
            list.add(section(TextLimits.fitPlain(text.toString(), TextLimits.SECTION)));
        }

        private void links() {
            List<Report.Link> links = report.links();
            if (links.isEmpty()) {
                return;
            }
            List<String> items = new ArrayList<>();
            for (Report.Link link : links) {
                items.add("<" + SlackEscape.entities(link.url()) + "|" + prose(link.label(), VALUE_LIMIT) + ">");
            }
            String heading = "*Links*\n";
            list.add(section(heading + TextLimits.chunk(items, " · ", TextLimits.SECTION - heading.length(), 1)
                    .get(0)));
        }

        private void release() {
            report.releaseCommand().ifPresent(command -> list.add(section("*Release*\n```"
                    + TextLimits.fit(SlackEscape.defuse(command), VALUE_LIMIT, SlackEscape::codeBody) + "```")));
        }

        private void context(String footer) {
            ObjectNode context = block("context");
            context.putArray("elements").add(mrkdwnText(prose(footer)));
            list.add(context);
        }

        /** Returns the blocks, keeping within Slack's block limit with a visible note when some were dropped. */
        private ArrayNode capped() {
            ArrayNode array = Json.mapper().createArrayNode();
            if (list.size() <= TextLimits.BLOCKS) {
                list.forEach(array::add);
                return array;
            }
            int keep = TextLimits.BLOCKS - 1;
            list.subList(0, keep).forEach(array::add);
            ObjectNode note = block("context");
            note.putArray("elements").add(mrkdwnText(TextLimits.itemsMarker(list.size() - keep) + " blocks"));
            array.add(note);
            return array;
        }

        private static ObjectNode section(String mrkdwn) {
            ObjectNode section = block("section");
            // The parts are cut to fit before they are joined; this only guards against a sum over the limit.
            section.set("text", mrkdwnText(TextLimits.fitPlain(mrkdwn, TextLimits.SECTION)));
            return section;
        }

        private static ObjectNode block(String type) {
            ObjectNode block = Json.mapper().createObjectNode();
            block.put("type", type);
            return block;
        }

        private static ObjectNode plainText(String escaped) {
            ObjectNode text = Json.mapper().createObjectNode();
            text.put("type", "plain_text");
            text.put("text", escaped);
            text.put("emoji", true);
            return text;
        }

        /** Returns a mrkdwn text object that Slack renders as written, without linking names or channels. */
        private static ObjectNode mrkdwnText(String escaped) {
            ObjectNode text = Json.mapper().createObjectNode();
            text.put("type", "mrkdwn");
            text.put("text", escaped);
            text.put("verbatim", true);
            return text;
        }

        private static String code(String raw) {
            return "`" + TextLimits.fit(SlackEscape.defuse(raw), VALUE_LIMIT, SlackEscape::codeBody) + "`";
        }

        private static String prose(String raw) {
            return prose(raw, PROSE_LIMIT);
        }

        private static String prose(String raw, int limit) {
            return TextLimits.fit(SlackEscape.defuse(raw), limit, SlackMessage::mrkdwnEscape);
        }
    }
}
