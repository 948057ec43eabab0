package dev.quell.revoke;

import dev.quell.iam.LocalCredentials;
import dev.quell.iam.RecordingClients;
import dev.quell.iam.SeededIam;
import dev.quell.testkit.MotoServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.Runtime;

/** Gives a seeded role users on the local endpoint: instances launched with its profile, and Lambda functions. */
final class RoleUsers {

    /** The AMI id moto accepts for launches. */
    private static final String AMI = "ami-12c6146b";

    private final RecordingClients clients = new RecordingClients(MotoServer.shared().endpoint());
    private final SeededIam seeded;

    RoleUsers(SeededIam seeded) {
        this.seeded = seeded;
    }

    Ec2Client ec2() {
        return clients.client(Ec2Client::builder, LocalCredentials.ACCOUNT, Region.of(LocalCredentials.REGION));
    }

    /** Launches instances with an instance profile that carries the role, and returns their ids. */
    List<String> instancesWithProfile(String role, int count) {
        String profile = seeded.instanceProfile(role);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(ec2().runInstances(request -> request.imageId(AMI).instanceType(InstanceType.T3_MICRO)
                    .minCount(1).maxCount(1).iamInstanceProfile(p -> p.name(profile))).instances().get(0)
                    .instanceId());
        }
        return ids;
    }

    /** Stops an instance, which then no longer counts as a user of its role. */
    void stop(String instanceId) {
        ec2().stopInstances(request -> request.instanceIds(instanceId));
    }

    /** Creates a Lambda function in the region whose execution role is the role. */
    String function(String roleArn, String region) {
        String name = SeededIam.unique("fn");
        LambdaClient lambda = clients.client(LambdaClient::builder, LocalCredentials.ACCOUNT, Region.of(region));
        return lambda.createFunction(request -> request.functionName(name).role(roleArn)
                .runtime(Runtime.PYTHON3_12).handler("handler.handle")
                .code(code -> code.zipFile(SdkBytes.fromByteArray(handlerZip())))).functionArn();
    }

    private static byte[] handlerZip() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            zip.putNextEntry(new ZipEntry("handler.py"));
            zip.write("def handle(event, context):\n    return None\n".getBytes(StandardCharsets.UTF_8));
            zip.closeEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
