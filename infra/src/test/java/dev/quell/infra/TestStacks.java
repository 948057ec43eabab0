package dev.quell.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.quell.core.policy.Policy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.CfnElement;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.lambda.Code;

/** Builds the app for tests: placeholder code instead of jars, and a fixed account and region. */
final class TestStacks {

    static final String ACCOUNT = "111111111111";
    static final String REGION = "us-east-1";
    static final Environment ENVIRONMENT = Environment.builder().account(ACCOUNT).region(REGION).build();

    static final ObjectMapper JSON = new ObjectMapper();

    private TestStacks() {
    }

    /** Returns code from a small directory asset, so that synthesis needs no built jar. */
    static FunctionCode placeholderCode() {
        return spec -> Code.fromAsset(resource("placeholder-function").toString());
    }

    static QuellApp.Stacks synthesize(DeploySettings settings, List<FunctionSpec> specs) {
        try {
            App app = App.Builder.create().outdir(Files.createTempDirectory("quell-cdk-test").toString()).build();
            return QuellApp.addStacks(app, settings, specs, placeholderCode(), ENVIRONMENT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns settings read from the given context entries, with everything else at its default. */
    static DeploySettings settings(Map<String, Object> context) {
        return DeploySettings.fromContext(context::get);
    }

    /** Returns the given settings with another policy. */
    static DeploySettings withPolicy(DeploySettings settings, Policy policy) {
        return new DeploySettings(policy, "test policy", settings.startupMode(), settings.securityHubAggregation(),
                settings.securityHubCustomActions(), settings.organizationId(), settings.slackSecretArn(),
                settings.memberRoleName(), settings.reservedConcurrency(), settings.alarmEmail());
    }

    static Path resource(String name) {
        try {
            return Path.of(TestStacks.class.getClassLoader().getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + file, e);
        }
    }

    /** Returns the logical id of a construct's CloudFormation resource. */
    static String logicalId(Stack stack, software.constructs.IConstruct construct) {
        return stack.getLogicalId((CfnElement) construct.getNode().getDefaultChild());
    }

    /**
     * Returns each rule's event pattern from the template, keyed by the rule's construct id (for example
     * {@code GuardDuty-isolate-compromised-instance}), with intrinsic functions resolved for the test account.
     */
    static Map<String, String> eventPatterns(ResponderStack stack, Map<String, Object> template) {
        JsonNode resources = JSON.valueToTree(template).get("Resources");
        Map<String, String> patterns = new HashMap<>();
        for (Rule rule : stack.routing().rules()) {
            JsonNode pattern = resources.get(logicalId(stack, rule)).get("Properties").get("EventPattern");
            patterns.put(rule.getNode().getId(), resolve(pattern).toString());
        }
        return patterns;
    }

    /** Resolves the intrinsics CDK writes into event patterns: pseudo parameter refs and {@code Fn::Join}. */
    static JsonNode resolve(JsonNode node) {
        if (node.isObject() && node.has("Ref")) {
            return TextNode.valueOf(pseudoParameter(node.get("Ref").asText()));
        }
        if (node.isObject() && node.has("Fn::Join")) {
            String separator = node.get("Fn::Join").get(0).asText();
            List<String> parts = new ArrayList<>();
            node.get("Fn::Join").get(1).forEach(part -> parts.add(resolve(part).asText()));
            return TextNode.valueOf(String.join(separator, parts));
        }
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                copy.set(field.getKey(), resolve(field.getValue()));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(element -> copy.add(resolve(element)));
            return copy;
        }
        return node;
    }

    private static String pseudoParameter(String name) {
        return switch (name) {
            case "AWS::Partition" -> "aws";
            case "AWS::Region" -> REGION;
            case "AWS::AccountId" -> ACCOUNT;
            default -> throw new IllegalArgumentException("an event pattern refers to " + name
                    + ", which the test cannot resolve");
        };
    }
}
