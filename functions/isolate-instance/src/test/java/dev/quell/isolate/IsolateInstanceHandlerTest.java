package dev.quell.isolate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quell.core.finding.Finding;
import dev.quell.core.policy.Mode;
import dev.quell.core.response.Outcome;
import dev.quell.core.response.ResponseResult;
import dev.quell.core.response.Responder;
import dev.quell.core.response.TransientFailureException;
import dev.quell.core.decision.Decision;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class IsolateInstanceHandlerTest {

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "{}", "[]", "\"text\"",
        "{\"detail-type\":\"GuardDuty Finding\",\"source\":\"aws.guardduty\",\"detail\":\"not an object\"}",
        "{\"detail-type\":\"Scheduled Event\",\"source\":\"aws.events\",\"detail\":{}}"})
    void badInput_isRejectedWithoutThrowing(String input) throws Exception {
        List<Finding> seen = new ArrayList<>();
        var handler = new IsolateInstanceHandler(recording(seen));

        String output = handle(handler, input);

        assertThat(output).contains("rejected");
        assertThat(seen).isEmpty();
    }

    @Test
    void event_reachesResponderWithParsedFinding() throws Exception {
        List<Finding> seen = new ArrayList<>();
        var handler = new IsolateInstanceHandler(recording(seen));

        String output = handle(handler, """
                {"version":"0","id":"e1","detail-type":"GuardDuty Finding","source":"aws.guardduty",
                 "account":"999988887777","time":"2026-12-01T10:00:00Z","region":"eu-west-1","resources":[],
                 "detail":{"schemaVersion":"2.0","accountId":"111122223333","region":"eu-west-1","partition":"aws",
                  "id":"0123456789abcdef0123456789abcdef","type":"Backdoor:EC2/C&CActivity.B","severity":8,
                  "createdAt":"2026-12-01T09:00:00Z","updatedAt":"2026-12-01T09:30:00Z",
                  "resource":{"resourceType":"Instance","instanceDetails":{"instanceId":"i-0abc"}},
                  "service":{"archived":false,"count":1}}}""");

        assertThat(seen).singleElement().satisfies(finding -> {
            assertThat(finding.accountId()).isEqualTo("111122223333");
            assertThat(finding.id()).isEqualTo("0123456789abcdef0123456789abcdef");
        });
        assertThat(output).contains("\"responses\"");
    }

    @Test
    void transientFailure_isThrownForLambdaRetry() {
        var handler = new IsolateInstanceHandler(new Responder() {
            @Override
            public String action() {
                return "isolate-instance";
            }

            @Override
            public ResponseResult respond(Finding finding, String owner) {
                throw new TransientFailureException("throttled", null);
            }
        });

        assertThatThrownBy(() -> handle(handler, """
                {"schemaVersion":"2.0","accountId":"111122223333","region":"eu-west-1",
                 "id":"f1","type":"Backdoor:EC2/C&CActivity.B","severity":8,
                 "resource":{"resourceType":"Instance","instanceDetails":{"instanceId":"i-0abc"}}}"""))
                .isInstanceOf(TransientFailureException.class);
    }

    @Test
    void handlerOnMoto_isolatesInstance() throws Exception {
        LocalAccount account = new LocalAccount();
        var handler = new IsolateInstanceHandler(account.responder(Mode.ENFORCE));

        String output = handle(handler, """
                {"version":"0","id":"e2","detail-type":"GuardDuty Finding","source":"aws.guardduty",
                 "account":"999988887777","time":"2026-12-01T10:00:00Z","region":"%s","resources":[],
                 "detail":{"schemaVersion":"2.0","accountId":"%s","region":"%s","partition":"aws",
                  "id":"%s","type":"CryptoCurrency:EC2/BitcoinTool.B!DNS","severity":8,
                  "createdAt":"2026-12-01T09:00:00Z","updatedAt":"2026-12-01T09:30:00Z",
                  "resource":{"resourceType":"Instance","instanceDetails":{"instanceId":"%s"}},
                  "service":{"archived":false,"count":1}}}""".formatted(LocalAccount.REGION,
                account.seeded.account(), LocalAccount.REGION, java.util.UUID.randomUUID(),
                account.seeded.appInstanceId()));

        assertThat(output).contains(Outcome.CONTAINED.name());
    }

    private static Responder recording(List<Finding> seen) {
        return new Responder() {
            @Override
            public String action() {
                return "isolate-instance";
            }

            @Override
            public ResponseResult respond(Finding finding, String owner) {
                seen.add(finding);
                return new ResponseResult(finding, action(), null,
                        Decision.ignore("test"), Outcome.IGNORED, List.of(), null, null,
                        null, null);
            }
        };
    }

    private static String handle(IsolateInstanceHandler handler, String input) throws Exception {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), output, null);
        return output.toString(StandardCharsets.UTF_8);
    }
}
