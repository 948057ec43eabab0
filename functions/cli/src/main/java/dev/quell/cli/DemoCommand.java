package dev.quell.cli;

import dev.quell.core.finding.AffectedResource;
import dev.quell.core.finding.Finding;
import dev.quell.core.finding.FindingParser;
import dev.quell.core.policy.Mode;
import dev.quell.core.policy.Policy;
import dev.quell.core.response.Outcome;
import dev.quell.core.response.ResponseResult;
import dev.quell.testkit.MotoServer;
import dev.quell.testkit.SeededAccount;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * {@code quell demo}: starts moto on loopback (or uses {@code --endpoint-url}), seeds a realistic account, fills
 * the bundled events with its ids, and replays them through the real code path, printing what each found,
 * decided and did, with the instance's state before and after. It leaves nothing running.
 */
final class DemoCommand {

    static final Set<String> OPTIONS = Set.of("--endpoint-url", "--region", "--slack-webhook");

    /** The bundled events, in the order the demo replays them: first those Quell leaves alone. */
    static final List<String> EVENTS = List.of(
            "guardduty-archived-backdoor.json",
            "guardduty-sample-trojan.json",
            "guardduty-ssh-bruteforce-inbound.json",
            "guardduty-exempt-bastion.json",
            "guardduty-backdoor-c2-dns.json",
            "guardduty-crypto-mining.json",
            "guardduty-iam-key-tor.json",
            "guardduty-role-session-malicious-ip.json",
            "guardduty-instance-credential-exfiltration.json");

    private final PrintStream out;
    private final PrintStream err;

    DemoCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(Arguments args) {
        args.allowOnly(OPTIONS);
        String region = args.option("--region", "eu-west-1");
        Optional<URI> requested = args.endpoint();
        MotoServer moto = null;
        try {
            if (requested.isEmpty()) {
                out.println("starting moto_server on loopback...");
                moto = MotoServer.start();
            }
            URI endpoint = requested.isPresent() ? requested.get() : moto.endpoint();
            Optional<String> webhook = Optional.ofNullable(args.options().get("--slack-webhook"));
            try (SlackOutput slack = webhook.isPresent() ? SlackOutput.printing(out, webhook)
                    : SlackOutput.withLocalReceiver(out)) {
                return replay(endpoint, region, slack);
            }
        } finally {
            if (moto != null) {
                moto.close();
                out.println("\nmoto_server stopped.");
            }
        }
    }

    private int replay(URI endpoint, String region, SlackOutput slack) {
        SeededAccount account = SeededAccount.seed(endpoint, region);
        out.println("seeded account " + account.account() + " in " + region + " at " + endpoint + ": VPC "
                + account.vpcId() + ", web tier " + account.webInstanceIds() + " in Auto Scaling group "
                + account.autoScalingGroup() + ", app server " + account.appInstanceId() + " with interfaces "
                + account.appInterfaceIds() + ", bastion " + account.exemptInstanceId() + " (exempt)");
        RespondCommand respond = new RespondCommand(out, err);
        Arguments context = Arguments.parse(new String[] {"respond", "--endpoint-url", endpoint.toString(),
            "--region", region});
        Responders responders = respond.context(context, Policy.defaults().withMode(Mode.ENFORCE)).responders();
        InstanceProbe probe = probe(endpoint, region, account);
        IamProbe iamProbe = new IamProbe(IamClient.builder().endpointOverride(endpoint).region(Region.AWS_GLOBAL)
                .credentialsProvider(SeededAccount.credentials()).build(), account);
        Map<String, String> values = placeholders(account, endpoint, region);
        int exit = 0;
        for (String name : EVENTS) {
            Finding finding = FindingParser.parse(fill(read(name), values)).findings().get(0);
            exit = Math.max(exit, replayOne(name, finding, responders, probe, iamProbe, slack));
        }
        return exit;
    }

    private int replayOne(String name, Finding finding, Responders responders, InstanceProbe probe,
            IamProbe iamProbe, SlackOutput slack) {
        TextReport report = new TextReport(out);
        out.println("\n=== " + name);
        report.finding(finding, "events/" + name);
        String instanceId = finding.resource(AffectedResource.Instance.class).map(i -> i.instanceId()).orElse(null);
        Supplier<List<String>> state = instanceId == null ? iamProbe::describe : () -> probe.describe(instanceId);
        List<String> before = state.get();
        int exit = 0;
        for (Responders.Dispatch dispatch : responders.forFinding(finding)) {
            ResponseResult result = RespondCommand.respond(dispatch.responder(), dispatch.finding());
            report.result(result);
            slack.show(result);
            if (result.anyStepFailed() || result.outcome() == Outcome.FAILED) {
                exit = 1;
            }
        }
        if (!before.isEmpty()) {
            List<String> after = state.get();
            out.println("  state of " + (instanceId == null ? "IAM" : instanceId) + ":");
            for (int i = 0; i < before.size(); i++) {
                String change = before.get(i).equals(after.get(i)) ? "  (unchanged)" : "\n        after:  "
                        + after.get(i);
                out.println("      before: " + before.get(i) + change);
            }
        }
        return exit;
    }

    private static InstanceProbe probe(URI endpoint, String region, SeededAccount account) {
        var credentials = SeededAccount.credentials();
        return new InstanceProbe(
                Ec2Client.builder().endpointOverride(endpoint).region(Region.of(region))
                        .credentialsProvider(credentials).build(),
                AutoScalingClient.builder().endpointOverride(endpoint).region(Region.of(region))
                        .credentialsProvider(credentials).build(),
                ElasticLoadBalancingV2Client.builder().endpointOverride(endpoint).region(Region.of(region))
                        .credentialsProvider(credentials).build(),
                IamClient.builder().endpointOverride(endpoint).region(Region.AWS_GLOBAL)
                        .credentialsProvider(credentials).build(),
                account);
    }

    static Map<String, String> placeholders(SeededAccount account, URI endpoint, String region) {
        Ec2Client ec2 = Ec2Client.builder().endpointOverride(endpoint).region(Region.of(region))
                .credentialsProvider(SeededAccount.credentials()).build();
        Map<String, String> values = new LinkedHashMap<>();
        values.put("ACCOUNT_ID", account.account());
        values.put("ADMIN_ACCOUNT_ID", "999988887777");
        values.put("REGION", region);
        values.put("VPC_ID", account.vpcId());
        values.put("SUBNET_ID", account.subnetIds().get(0));
        values.put("GROUP_ID", account.appGroupId());
        values.put("PROFILE_NAME", account.profileName());
        values.put("APP_INSTANCE_ID", account.appInstanceId());
        values.put("APP_ENI_0", account.appInterfaceIds().get(0));
        values.put("APP_ENI_1", account.appInterfaceIds().get(1));
        values.put("WEB_INSTANCE_ID", account.webInstanceIds().get(0));
        values.put("WEB_ENI_0", firstInterface(ec2, account.webInstanceIds().get(0)));
        values.put("EXEMPT_INSTANCE_ID", account.exemptInstanceId());
        values.put("EXEMPT_ENI_0", firstInterface(ec2, account.exemptInstanceId()));
        values.put("ROLE_NAME", account.roleName());
        values.put("ROLE_ID", account.roleId());
        values.put("USER_NAME", account.userName());
        values.put("USER_KEY_ID", account.userKeyIds().get(0));
        values.put("DEPLOY_ROLE_NAME", account.deployRoleName());
        values.put("DEPLOY_ROLE_ID", account.deployRoleId());
        return values;
    }

    private static String firstInterface(Ec2Client ec2, String instanceId) {
        return ec2.describeInstances(r -> r.instanceIds(instanceId)).reservations().get(0).instances().get(0)
                .networkInterfaces().get(0).networkInterfaceId();
    }

    static String fill(String template, Map<String, String> values) {
        String filled = template;
        for (var entry : values.entrySet()) {
            filled = filled.replace("${" + entry.getKey() + "}", entry.getValue());
        }
        return filled;
    }

    static String read(String name) {
        try (InputStream in = DemoCommand.class.getResourceAsStream("/events/" + name)) {
            if (in == null) {
                throw new IllegalStateException("bundled event " + name + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
