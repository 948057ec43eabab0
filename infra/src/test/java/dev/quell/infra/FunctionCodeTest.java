package dev.quell.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import dev.quell.core.policy.Exemptions;
import dev.quell.core.policy.Policy;
import dev.quell.core.response.StepContract;
import dev.quell.infra.FunctionSpec.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awscdk.Aws;

/** Locating function jars, and the failures that stop a synth before it produces a broken template. */
class FunctionCodeTest {

    @TempDir
    Path directory;

    @Test
    void missingJarNamesBuildCommand() throws IOException {
        Files.createDirectories(directory.resolve("functions"));
        Files.writeString(directory.resolve("pom.xml"), "<project/>");
        FunctionSpec isolation = Functions.all().get(0);

        assertThatThrownBy(() -> FunctionCode.fromJars(directory).codeFor(isolation))
                .isInstanceOf(FunctionCode.MissingJarException.class)
                .hasMessageContaining("quell-isolate-instance")
                .hasMessageContaining(directory.resolve("functions/isolate-instance/target")
                        .resolve("quell-isolate-instance-0.1.0-SNAPSHOT-lambda.jar").toString())
                .hasMessageEndingWith("mvn -q -B -pl functions/isolate-instance -am package -DskipTests");
    }

    @Test
    void builtJarIsUsed() throws IOException {
        FunctionSpec isolation = Functions.all().get(0);
        Path jar = directory.resolve(isolation.jarPath("0.1.0-SNAPSHOT"));
        Files.createDirectories(jar.getParent());
        Files.write(jar, new byte[] {'P', 'K', 5, 6});

        assertThat(FunctionCode.fromJars(directory).codeFor(isolation)).isNotNull();
    }

    @Test
    void specsMatchTheirModules() throws Exception {
        Path root = FunctionCode.findRepositoryRoot(Path.of(""));
        for (FunctionSpec spec : Functions.all()) {
            String pom = Files.readString(root.resolve(spec.module()).resolve("pom.xml"));
            String project = pom.substring(pom.indexOf("</parent>"));
            String artifactId = project.substring(project.indexOf("<artifactId>") + "<artifactId>".length(),
                    project.indexOf("</artifactId>"));
            Class<?> handler = Class.forName(spec.handler(), false, getClass().getClassLoader());

            assertThat(artifactId).as(spec.module()).isEqualTo(spec.artifactId());
            assertThat(RequestStreamHandler.class.isAssignableFrom(handler)).as(spec.handler()).isTrue();
        }
    }

    @Test
    void repositoryRootIsFoundAbove() throws IOException {
        Files.createDirectories(directory.resolve("functions"));
        Files.writeString(directory.resolve("pom.xml"), "<project/>");
        Path infra = Files.createDirectories(directory.resolve("infra/src"));

        assertThat(FunctionCode.findRepositoryRoot(infra)).isEqualTo(directory.toAbsolutePath());
    }

    @Test
    void repositoryRootMissingIsReported() {
        assertThatThrownBy(() -> FunctionCode.findRepositoryRoot(directory))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no Quell repository root");
    }

    @Test
    void playbookWithoutFunctionIsRejected() {
        Policy policy = Policy.parse("""
                {"playbooks": [{"name": "keys", "action": "quarantine-access-key", "resourceType": "AccessKey",
                  "minimumSeverity": 5, "findingTypes": ["UnauthorizedAccess:IAMUser/*"]}]}
                """, "test");
        DeploySettings settings = TestStacks.withPolicy(DeploySettings.defaults(), policy);

        assertThatThrownBy(() -> TestStacks.synthesize(settings, List.of(Functions.all().get(0))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("playbook \"keys\"")
                .hasMessageContaining("no function in this build handles action quarantine-access-key")
                .hasMessageContaining("quell-isolate-instance [isolate-instance]");
    }

    @Test
    void oversizedPolicyIsRejected() {
        List<String> arns = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            arns.add("arn:aws:ec2:us-east-1:111111111111:instance/i-0123456789abcdef" + i);
        }
        Policy large = new Policy(null, Policy.defaults().playbooks(),
                new Exemptions(null, null, null, arns), null, null, null, null, null);
        DeploySettings settings = TestStacks.withPolicy(DeploySettings.defaults(), large);

        assertThatThrownBy(() -> TestStacks.synthesize(settings, Functions.all()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("environment of function quell-isolate-instance would take")
                .hasMessageContaining("over Lambda's limit of 4096 bytes")
                .hasMessageContaining("shorten the policy");
    }

    @Test
    void environmentSizeCountsKeysAndValues() {
        LambdaEnvironment environment = new LambdaEnvironment("f")
                .put("KEY", "value")
                .putDeployTime("ACCOUNT", "${Token[AWS.AccountId.1]}", 12);

        assertThat(environment.sizeInBytes()).isEqualTo(3 + 5 + 7 + 12);
        assertThat(environment.values()).containsEntry("KEY", "value");
    }

    @Test
    void environmentRejectsTokenWithoutSize() {
        assertThatThrownBy(() -> new LambdaEnvironment("f").put("ACCOUNT", Aws.ACCOUNT_ID))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("putDeployTime");
    }

    @Test
    void specDerivesNamesAndActions() {
        FunctionSpec spec = new FunctionSpec("example", Kind.RESPONDER, "x.Handler", "functions/example",
                "quell-example", List.of(
                        new StepContract("a", List.of("ec2:DescribeInstances", "ec2:CreateTags"), true, "a"),
                        new StepContract("b", List.of("ec2:CreateTags"), true, "b")),
                Set.of(), Set.of(), 256, Duration.ofSeconds(10));

        assertThat(spec.functionName()).isEqualTo("quell-example");
        assertThat(spec.contractActions()).containsExactly("ec2:CreateTags", "ec2:DescribeInstances");
        assertThat(spec.jarPath("1.0")).isEqualTo("functions/example/target/quell-example-1.0-lambda.jar");
        assertThat(spec.buildCommand()).isEqualTo("mvn -q -B -pl functions/example -am package -DskipTests");
    }
}
