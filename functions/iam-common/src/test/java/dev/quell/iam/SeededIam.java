package dev.quell.iam;

import dev.quell.testkit.SeededAccount;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.iam.IamClient;

/** Creates IAM users, roles and instance profiles on a local endpoint, each under a name no other test uses. */
public final class SeededIam {

    public static final String ACCOUNT = SeededAccount.ACCOUNT;

    private static final AtomicLong COUNTER = new AtomicLong();
    private static final String RUN = Long.toString(System.nanoTime(), 36);

    private final IamClient iam;

    public SeededIam(ClientFactory clients) {
        this.iam = clients.client(IamClient::builder, ACCOUNT, Region.AWS_GLOBAL);
    }

    public IamClient iam() {
        return iam;
    }

    /** Returns the base name with a suffix unique to this test run and call. */
    public static String unique(String base) {
        return base + "-" + RUN + "-" + COUNTER.incrementAndGet();
    }

    /** A seeded user and its access key ids, in creation order. */
    public record User(String name, String arn, List<String> accessKeyIds) {
    }

    /** A seeded role. */
    public record Role(String name, String arn) {
    }

    /** Creates a user with the name given verbatim and the number of active access keys (at most two). */
    public User user(String name, int keys) {
        String arn = iam.createUser(request -> request.userName(name)).user().arn();
        List<String> keyIds = new ArrayList<>();
        for (int i = 0; i < keys; i++) {
            keyIds.add(iam.createAccessKey(request -> request.userName(name)).accessKey().accessKeyId());
        }
        return new User(name, arn, keyIds);
    }

    /** Gives the user a console password. */
    public void loginProfile(String user) {
        iam.createLoginProfile(request -> request.userName(user).password("Quell-test-password-1"));
    }

    /** Creates a role at the root path that the service may assume. */
    public Role role(String name, String service) {
        return role(name, "/", service);
    }

    /** Creates a role at the path that the service may assume. */
    public Role role(String name, String path, String service) {
        String trust = """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"%s"},\
                "Action":"sts:AssumeRole"}]}""".formatted(service);
        String arn = iam.createRole(request -> request.roleName(name).path(path).assumeRolePolicyDocument(trust))
                .role().arn();
        return new Role(name, arn);
    }

    /** Creates a service-linked role for the service, which IAM names {@code AWSServiceRoleFor...}. */
    public Role serviceLinkedRole(String service, String suffix) {
        var role = iam.createServiceLinkedRole(request -> request.awsServiceName(service).customSuffix(suffix)).role();
        return new Role(role.roleName(), role.arn());
    }

    /** Creates an instance profile that carries the role, and returns the profile name. */
    public String instanceProfile(String role) {
        String profile = unique("profile");
        iam.createInstanceProfile(request -> request.instanceProfileName(profile));
        iam.addRoleToInstanceProfile(request -> request.instanceProfileName(profile).roleName(role));
        return profile;
    }

    /**
     * Fills the principal's inline policies up to the given number of characters short of IAM's quota (10,240
     * characters for a role, 2,048 for a user), with policies that allow reading one S3 bucket.
     */
    public void fillInlineQuota(IamTarget target, int leave) {
        int remaining = (target.kind() == IamTarget.Kind.ROLE ? 10_240 : 2_048) - leave;
        int index = 0;
        while (remaining >= fillerOfSize(0).length()) {
            String document = fillerOfSize(Math.min(remaining, 2_000));
            String name = "filler-" + index++;
            if (target.kind() == IamTarget.Kind.ROLE) {
                iam.putRolePolicy(request -> request.roleName(target.name()).policyName(name)
                        .policyDocument(document));
            } else {
                iam.putUserPolicy(request -> request.userName(target.name()).policyName(name)
                        .policyDocument(document));
            }
            remaining -= document.length();
        }
    }

    /** Returns a policy document of the given length, or the shortest one when the length is shorter. */
    private static String fillerOfSize(int length) {
        String template = "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Sid\":\"Filler%s\",\"Effect\":\"Allow\","
                + "\"Action\":\"s3:GetObject\",\"Resource\":\"arn:aws:s3:::filler/*\"}]}";
        int padding = Math.max(0, length - template.formatted("").length());
        return template.formatted("A".repeat(padding));
    }
}
