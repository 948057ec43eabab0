package dev.quell.notify.slack;

import static dev.quell.notify.slack.SlackChecks.assertMentionsNobody;
import static dev.quell.notify.slack.SlackChecks.assertWithinLimits;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.quell.core.decision.Decision;
import dev.quell.core.finding.Finding;
import dev.quell.core.finding.FindingRejectedException;
import dev.quell.core.finding.FindingParser;
import dev.quell.core.json.Json;
import dev.quell.core.response.Outcome;
import dev.quell.core.response.ResponseResult;
import dev.quell.core.response.StepResult;
import dev.quell.notify.Results;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Renders every finding that parses in the directory named by the system property {@code quell.findings.dir} or
 * the environment variable {@code QUELL_FINDINGS_DIR}, searched recursively for {@code .json} files, and checks
 * each message against Slack's limits. Skipped when neither is set; fails when the directory is missing or holds
 * no JSON file.
 */
class FindingsDirectoryRenderTest {

    @TestFactory
    Stream<DynamicTest> everyParsedFinding_rendersWithinLimits() throws IOException {
        Path directory = findingsDirectory();
        assertThat(directory).as("findings directory").isDirectory();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(directory)) {
            files = walk.filter(file -> file.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(files).as("JSON files under " + directory).isNotEmpty();
        // Files the parser rejects have nothing to render; the parser's own conformance test covers them.
        return files.stream()
                .filter(file -> !parse(read(file)).isEmpty())
                .map(file -> DynamicTest.dynamicTest(directory.relativize(file).toString(), () -> renderAll(file)));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void renderAll(Path file) throws Exception {
        List<Finding> findings = parse(read(file));
        for (Finding finding : findings) {
            for (ResponseResult result : results(finding)) {
                SlackMessage message = SlackMessage.render(result);
                var payload = Json.mapper().readTree(message.toJson());
                assertWithinLimits(payload);
                assertMentionsNobody(payload);
                assertThat(SlackText.render(result)).doesNotContainPattern("\\b(null|undefined|NaN)\\b");
            }
        }
    }

    private static List<ResponseResult> results(Finding finding) {
        List<ResponseResult> results = new ArrayList<>();
        results.add(Results.contained(finding));
        results.add(Results.withOutcome(finding, Outcome.PLANNED));
        results.add(new ResponseResult(finding, "isolate-instance", null, Decision.ignore("no playbook"),
                Outcome.IGNORED, List.of(StepResult.skipped("read-instance", "not needed")), null, null, null, null));
        return results;
    }

    /** Returns the findings the parser reads from the text, or none when it rejects the text. */
    private static List<Finding> parse(String json) {
        try {
            return FindingParser.parse(json).findings();
        } catch (FindingRejectedException e) {
            return List.of();
        }
    }

    private static Path findingsDirectory() {
        String property = System.getProperty("quell.findings.dir");
        String value = property != null && !property.isBlank() ? property : System.getenv("QUELL_FINDINGS_DIR");
        assumeTrue(value != null && !value.isBlank(), "neither quell.findings.dir nor QUELL_FINDINGS_DIR is set");
        return Path.of(value);
    }
}
