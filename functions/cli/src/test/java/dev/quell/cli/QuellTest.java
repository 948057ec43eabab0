package dev.quell.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.quell.core.json.Json;
import dev.quell.testkit.MotoServer;
import dev.quell.testkit.SeededAccount;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuellTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void malformedJson_exitsTwoNamingFile() throws Exception {
        Path file = Files.writeString(dir.resolve("broken.json"), "{\"detail-type\": ");

        int exit = run("respond", file.toString(), "--dry-run");

        assertThat(exit).isEqualTo(2);
        assertThat(err()).contains("broken.json").contains("MALFORMED_JSON");
    }

    @Test
    void notAFinding_exitsTwoWithReason() throws Exception {
        Path file = Files.writeString(dir.resolve("schedule.json"), """
                {"version":"0","id":"1","detail-type":"Scheduled Event","source":"aws.events",
                 "account":"111122223333","time":"2026-12-01T10:00:00Z","region":"eu-west-1","detail":{}}""");

        int exit = run("plan", file.toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err()).contains("schedule.json").contains("NOT_A_FINDING_EVENT");
    }

    @Test
    void missingFile_exitsTwo() {
        int exit = run("respond", dir.resolve("absent.json").toString());

        assertThat(exit).isEqualTo(2);
        assertThat(err()).contains("absent.json").contains("not found");
    }

    @Test
    void unknownOption_exitsTwoWithUsage() {
        int exit = run("respond", "x.json", "--force");

        assertThat(exit).isEqualTo(2);
        assertThat(err()).contains("unknown option --force").contains("usage:");
    }

    @Test
    void unknownCommand_exitsTwo() {
        assertThat(run("isolate")).isEqualTo(2);
    }

    @Test
    void respondTwice_secondChangesNothing() throws Exception {
        MotoServer moto = MotoServer.shared();
        SeededAccount account = SeededAccount.seed(moto.endpoint(), "eu-central-1");
        Path file = Files.writeString(dir.resolve("finding.json"), backdoorFinding(account));
        String table = "ledger-" + UUID.randomUUID();

        int first = run("respond", file.toString(), "--endpoint-url", moto.endpoint().toString(), "--region",
                "eu-central-1", "--output", "json", "--ledger-table", table);
        JsonNode firstResult = lines().get(0);
        out.reset();
        int second = run("respond", file.toString(), "--endpoint-url", moto.endpoint().toString(), "--region",
                "eu-central-1", "--output", "json", "--ledger-table", table);
        JsonNode secondResult = lines().get(0);

        assertThat(first).as(err()).isZero();
        assertThat(firstResult.get("outcome").asText()).isEqualTo("CONTAINED");
        assertThat(firstResult.get("decision").asText()).isEqualTo("ACT");
        assertThat(firstResult.get("steps")).isNotEmpty();
        assertThat(firstResult.get("preState").get("instanceId").asText()).isEqualTo(account.appInstanceId());
        assertThat(second).isZero();
        assertThat(secondResult.get("outcome").asText()).isEqualTo("ALREADY_HANDLED");
        assertThat(secondResult.get("steps")).isEmpty();
    }

    @Test
    void otherAccountFinding_isRefused() throws Exception {
        MotoServer moto = MotoServer.shared();
        SeededAccount account = SeededAccount.seed(moto.endpoint(), "eu-central-1");
        String finding = backdoorFinding(account).replace("\"accountId\":\"" + account.account() + "\"",
                "\"accountId\":\"210987654321\"");
        Path file = Files.writeString(dir.resolve("finding.json"), finding);

        int exit = run("respond", file.toString(), "--endpoint-url", moto.endpoint().toString(), "--region",
                "eu-central-1", "--output", "json");

        assertThat(exit).isEqualTo(1);
        assertThat(err()).contains("account 210987654321").contains("--member-role");
        assertThat(out.toString(StandardCharsets.UTF_8)).isBlank();
    }

    @Test
    void planWithEnforcingPlaybook_changesNothing() throws Exception {
        MotoServer moto = MotoServer.shared();
        SeededAccount account = SeededAccount.seed(moto.endpoint(), "eu-central-1");
        Path file = Files.writeString(dir.resolve("finding.json"), backdoorFinding(account));
        Path policy = Files.writeString(dir.resolve("policy.json"), """
                {"mode":"enforce","playbooks":[{"name":"c2","action":"isolate-instance","resourceType":"Instance",
                "minimumSeverity":1,"mode":"enforce","findingTypes":["Backdoor:EC2/*"]}]}""");

        int exit = run("plan", file.toString(), "--endpoint-url", moto.endpoint().toString(), "--region",
                "eu-central-1", "--output", "json", "--policy", policy.toString());

        assertThat(exit).isZero();
        assertThat(lines().get(0).get("outcome").asText()).isEqualTo("PLANNED");
    }

    @Test
    void unreachableEndpoint_exitsTwoWithoutTrace() throws Exception {
        Path file = Files.writeString(dir.resolve("finding.json"), backdoorFinding(
                SeededAccount.seed(MotoServer.shared().endpoint(), "eu-central-1")));

        int exit = run("respond", file.toString(), "--endpoint-url", "http://127.0.0.1:9", "--region",
                "eu-central-1");

        assertThat(exit).isEqualTo(2);
        assertThat(err()).contains("could not reach AWS").doesNotContain("\tat ");
    }

    @Test
    void endpointWithoutScheme_isUsageError() throws Exception {
        Path file = Files.writeString(dir.resolve("finding.json"), "{}");

        int respond = run("respond", file.toString(), "--endpoint-url", "notaurl");
        int demo = run("demo", "--endpoint-url", "127.0.0.1:5000");

        assertThat(respond).isEqualTo(2);
        assertThat(demo).isEqualTo(2);
        assertThat(err()).contains("--endpoint-url must be an http or https URL").doesNotContain("NullPointer");
    }

    @Test
    void invalidFileInBatch_changesNothing() throws Exception {
        MotoServer moto = MotoServer.shared();
        SeededAccount account = SeededAccount.seed(moto.endpoint(), "eu-central-1");
        Path good = Files.writeString(dir.resolve("good.json"), backdoorFinding(account));
        Path bad = Files.writeString(dir.resolve("bad.json"), "{not json");
        Path empty = Files.write(dir.resolve("binary.json"), new byte[] {(byte) 0xff, (byte) 0xfe, 0x00});

        int exit = run("plan", good.toString(), bad.toString(), empty.toString(), "--endpoint-url",
                moto.endpoint().toString(), "--region", "eu-central-1", "--output", "json");

        assertThat(exit).isEqualTo(2);
        assertThat(err()).contains("bad.json").contains("binary.json: rejected: the file is not UTF-8 text")
                .contains("nothing was done, because 2 of 3 files could not be used");
        assertThat(out.toString(StandardCharsets.UTF_8)).isBlank();
    }

    @Test
    void demo_againstGivenEndpoint_replaysSamples() {
        int exit = run("demo", "--endpoint-url", MotoServer.shared().endpoint().toString(), "--region",
                "ap-southeast-2");

        assertThat(exit).as(err()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("CONTAINED").doesNotContain("moto_server stopped");
    }

    @Test
    void plan_changesNothing() throws Exception {
        MotoServer moto = MotoServer.shared();
        SeededAccount account = SeededAccount.seed(moto.endpoint(), "eu-central-1");
        Path file = Files.writeString(dir.resolve("finding.json"), backdoorFinding(account));

        int exit = run("plan", file.toString(), "--endpoint-url", moto.endpoint().toString(), "--region",
                "eu-central-1", "--output", "json");

        assertThat(exit).isZero();
        assertThat(lines().get(0).get("outcome").asText()).isEqualTo("PLANNED");
        assertThat(lines().get(0).get("reason").asText()).startsWith("dry run");
    }

    private int run(String... args) {
        return Quell.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private List<JsonNode> lines() throws Exception {
        List<JsonNode> nodes = new ArrayList<>();
        for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                nodes.add(Json.mapper().readTree(line));
            }
        }
        return nodes;
    }

    private static String backdoorFinding(SeededAccount account) {
        return """
                {"schemaVersion":"2.0","accountId":"%s","region":"%s","partition":"aws",
                 "id":"%s","type":"Backdoor:EC2/C&CActivity.B","severity":8,
                 "createdAt":"2026-12-02T08:00:00Z","updatedAt":"2026-12-02T08:10:00Z",
                 "title":"C&C traffic","description":"test",
                 "resource":{"resourceType":"Instance","instanceDetails":{"instanceId":"%s"}},
                 "service":{"serviceName":"guardduty","archived":false,"count":1,
                   "action":{"actionType":"NETWORK_CONNECTION","networkConnectionAction":{
                     "connectionDirection":"OUTBOUND","remoteIpDetails":{"ipAddressV4":"203.0.113.9"},
                     "remotePortDetails":{"port":443}}}}}
                """.formatted(account.account(), account.region(), UUID.randomUUID().toString().replace("-", ""),
                account.appInstanceId());
    }
}
