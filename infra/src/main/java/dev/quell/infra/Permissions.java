package dev.quell.infra;

import dev.quell.core.policy.Policy;
import dev.quell.iam.DenyPolicyWriter;
import dev.quell.quarantine.KeyQuarantineStep;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import software.amazon.awscdk.Aws;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;

/**
 * Turns the IAM actions that step contracts declare into policy statements, each action scoped to the narrowest
 * resource IAM supports for it. Both the responder functions' roles and the member role use these statements, so
 * a function acts with the same permissions in its own account and in a member account.
 *
 * <p>Every ARN names the account the role lives in, because a role only acts in its own account: the responders
 * reach member accounts by assuming the member role there. Regions are {@code *}, because a stack in the Security
 * Hub aggregation region acts on findings from every linked region.
 */
public final class Permissions {

    /**
     * The resources some actions may touch. Resource ARNs and condition values are templates with
     * {@code {partition}} and {@code {account}}, and {@code reason} gives why a wildcard in them is as narrow as IAM
     * allows.
     *
     * @param conditions extra conditions, by operator, then by key, then the allowed values
     */
    private record Scope(String name, List<String> resourceTemplates, boolean exemptionGuard,
            Map<String, Map<String, List<String>>> conditions, String reason) {

        Scope(String name, List<String> resourceTemplates, boolean exemptionGuard, String reason) {
            this(name, resourceTemplates, exemptionGuard, Map.of(), reason);
        }

        List<String> resources(String partition, String account) {
            return resourceTemplates.stream().map(template -> fill(template, partition, account)).toList();
        }

        Map<String, List<String>> condition(String operator, String partition, String account) {
            Map<String, List<String>> filled = new TreeMap<>();
            conditions.get(operator).forEach((key, values) -> filled.put(key,
                    values.stream().map(value -> fill(value, partition, account)).toList()));
            return filled;
        }

        private static String fill(String template, String partition, String account) {
            return template.replace("{partition}", partition).replace("{account}", account);
        }
    }

    private static final Scope READ_ANY = new Scope("Reads", List.of("*"), false,
            "these calls only read, and the EC2, Auto Scaling and Elastic Load Balancing describe calls among them"
                    + " support no resource-level permissions");
    private static final Scope INSTANCE_PROFILES = new Scope("IamInstanceProfiles",
            List.of("arn:{partition}:iam::{account}:instance-profile/*"), false,
            "the instance profile is read from the finding's instance, so any profile of this account");
    // Snapshots are the one EC2 resource whose ARN has no account.
    private static final Scope EC2_CHANGES = new Scope("Ec2Changes",
            List.of("arn:{partition}:ec2:*:{account}:*", "arn:{partition}:ec2:*::snapshot/*"), true,
            "the instance, its interfaces, security groups, volumes and new snapshots are named at run time by the"
                    + " finding, in any region of this account; resources tagged exempt are refused by condition");
    private static final Scope AUTO_SCALING_CHANGES = new Scope("AutoScalingChanges",
            List.of("arn:{partition}:autoscaling:*:{account}:autoScalingGroup:*:autoScalingGroupName/*"), true,
            "the Auto Scaling group is the one the finding's instance belongs to, in any region of this account");
    private static final Scope TARGET_GROUP_CHANGES = new Scope("TargetGroupChanges",
            List.of("arn:{partition}:elasticloadbalancing:*:{account}:targetgroup/*/*"), false,
            "the target groups are those the finding's instance is registered in, in any region of this account");
    private static final Scope IAM_ROLE_CHANGES = new Scope("IamRoleChanges",
            List.of("arn:{partition}:iam::{account}:role/*"), false,
            "the role is the one the finding names or the instance uses; protected roles are denied by name");
    private static final Scope IAM_USER_CHANGES = new Scope("IamUserChanges",
            List.of("arn:{partition}:iam::{account}:user/*"), false,
            "the user is the owner of the access key the finding names; protected users are denied by name");
    private static final String QUELL_POLICIES =
            "arn:{partition}:iam::{account}:policy" + DenyPolicyWriter.MANAGED_PATH + "*";
    // Attaching a managed policy can grant anything, so a user may only get the AWS quarantine policy or one of
    // Quell's deny policies, and a role only one of Quell's. iam:PolicyARN is the policy named in the request.
    private static final Scope IAM_USER_POLICY_ATTACHMENTS = new Scope("IamUserPolicyAttachments",
            List.of("arn:{partition}:iam::{account}:user/*"), false,
            Map.of("ArnLike", Map.of("iam:PolicyARN", List.of(
                    "arn:{partition}:iam::aws:policy/" + KeyQuarantineStep.QUARANTINE_POLICY, QUELL_POLICIES))),
            "the user is the owner of the access key the finding names; the policy attached or detached is limited"
                    + " by condition to the AWS quarantine policy and Quell's policies under /quell/, and protected"
                    + " users are denied by name");
    private static final Scope IAM_ROLE_POLICY_ATTACHMENTS = new Scope("IamRolePolicyAttachments",
            List.of("arn:{partition}:iam::{account}:role/*"), false,
            Map.of("ArnLike", Map.of("iam:PolicyARN", List.of(QUELL_POLICIES))),
            "the role is the one the finding names; the policy attached or detached is limited by condition to"
                    + " Quell's policies under /quell/, and protected roles are denied by name");
    private static final Scope IAM_MANAGED_POLICIES = new Scope("IamManagedPolicies",
            List.of(QUELL_POLICIES), false,
            "Quell writes a deny as a customer managed policy under the path /quell/ when a principal's inline"
                    + " policy quota is full; the policy name carries the principal's name, known only at run time");
    // EC2 checks iam:PassRole on the profile's role when release associates the recorded instance profile again.
    private static final Scope IAM_PASS_ROLE = new Scope("IamPassRoleToEc2",
            List.of("arn:{partition}:iam::{account}:role/*"), false,
            Map.of("StringEquals", Map.of("iam:PassedToService", List.of("ec2.amazonaws.com"))),
            "release passes the role of the instance's recorded instance profile, known only at run time, and only"
                    + " to EC2; protected roles are denied by name");

    private static final Set<String> READ_VERBS = Set.of("Describe", "Get", "List");
    private static final Set<String> IAM_POLICY_VERBS =
            Set.of("CreatePolicy", "CreatePolicyVersion", "DeletePolicy", "DeletePolicyVersion");

    private Permissions() {
    }

    /**
     * Returns allow statements granting exactly {@code actions}, grouped by scope, and a deny statement that keeps
     * IAM changes off the protected principals and off roles that AWS services and IAM Identity Center manage.
     *
     * @param policy supplies the exemption tag (mutating EC2 and Auto Scaling calls are refused on resources
     *     that carry it) and the protected principal name patterns
     * @throws IllegalArgumentException when a mutating action has no scope here yet
     */
    public static List<PolicyStatement> statements(Set<String> actions, Policy policy) {
        List<PolicyStatement> statements = new ArrayList<>();
        groupByScope(actions).forEach((scope, scoped) -> statements.add(allow(scope, scoped, policy)));
        // Managed policy changes name a policy, never a principal, so the principal deny does not apply to them.
        List<String> iamChanges = actions.stream()
                .filter(action -> action.startsWith("iam:") && !isRead(action))
                .filter(action -> scopeOf(action) != IAM_MANAGED_POLICIES)
                .sorted()
                .toList();
        if (!iamChanges.isEmpty()) {
            statements.add(denyProtected(iamChanges, policy));
        }
        return statements;
    }

    /**
     * Returns, for each wildcard resource the statements of {@code actions} grant, the reason it is as narrow as
     * IAM allows, keyed by the cdk-nag finding ({@code Resource::} and the ARN with {@code <AWS::Partition>}).
     */
    public static Map<String, String> wildcardReasons(Set<String> actions) {
        Map<String, String> reasons = new TreeMap<>();
        for (Scope scope : groupByScope(actions).keySet()) {
            for (String resource : scope.resources("<AWS::Partition>", "<AWS::AccountId>")) {
                reasons.merge("Resource::" + resource, scope.reason(), (first, second) -> first + "; " + second);
            }
        }
        return reasons;
    }

    /** Returns whether an action only reads, judged by its verb, as IAM's own access levels mostly follow it. */
    static boolean isRead(String action) {
        String verb = action.substring(action.indexOf(':') + 1);
        return READ_VERBS.stream().anyMatch(verb::startsWith);
    }

    private static Map<Scope, Set<String>> groupByScope(Set<String> actions) {
        Map<Scope, Set<String>> grouped = new TreeMap<>((left, right) -> left.name().compareTo(right.name()));
        for (String action : new TreeSet<>(actions)) {
            grouped.computeIfAbsent(scopeOf(action), ignored -> new TreeSet<>()).add(action);
        }
        return grouped;
    }

    private static Scope scopeOf(String action) {
        String service = action.substring(0, action.indexOf(':'));
        String verb = action.substring(action.indexOf(':') + 1);
        if (action.equals("iam:GetInstanceProfile")) {
            return INSTANCE_PROFILES;
        }
        if (isRead(action)) {
            return READ_ANY;
        }
        Scope scope = switch (service) {
            case "ec2" -> EC2_CHANGES;
            case "autoscaling" -> AUTO_SCALING_CHANGES;
            case "elasticloadbalancing" -> TARGET_GROUP_CHANGES;
            case "iam" -> iamScopeOf(verb);
            default -> null;
        };
        if (scope == null) {
            throw new IllegalArgumentException("no IAM resource scope is defined for the mutating action " + action
                    + "; add the narrowest resource ARN IAM supports for it to Permissions.scopeOf");
        }
        return scope;
    }

    private static Scope iamScopeOf(String verb) {
        if (IAM_POLICY_VERBS.contains(verb)) {
            return IAM_MANAGED_POLICIES;
        }
        if (verb.matches("(Attach|Detach)UserPolicy")) {
            return IAM_USER_POLICY_ATTACHMENTS;
        }
        if (verb.matches("(Attach|Detach)RolePolicy")) {
            return IAM_ROLE_POLICY_ATTACHMENTS;
        }
        if (verb.equals("PassRole")) {
            return IAM_PASS_ROLE;
        }
        if (verb.contains("Role")) {
            return IAM_ROLE_CHANGES;
        }
        boolean onUser = verb.contains("User") || verb.contains("AccessKey") || verb.contains("LoginProfile");
        return onUser ? IAM_USER_CHANGES : null;
    }

    private static PolicyStatement allow(Scope scope, Set<String> actions, Policy policy) {
        PolicyStatement statement = PolicyStatement.Builder.create()
                .sid("Contract" + scope.name())
                .effect(Effect.ALLOW)
                .actions(List.copyOf(actions))
                .resources(scope.resources(Aws.PARTITION, Aws.ACCOUNT_ID))
                .build();
        if (scope.exemptionGuard()) {
            // A negated operator is true when the tag is absent, so only resources tagged exempt are refused.
            // The function's own check is the authoritative one; IAM compares without trimming whitespace.
            statement.addCondition("StringNotEqualsIgnoreCase", Map.of(
                    "aws:ResourceTag/" + policy.exemptions().tagKey(), policy.exemptions().tagValue()));
        }
        for (String operator : scope.conditions().keySet()) {
            statement.addCondition(operator, scope.condition(operator, Aws.PARTITION, Aws.ACCOUNT_ID));
        }
        return statement;
    }

    private static PolicyStatement denyProtected(List<String> iamChanges, Policy policy) {
        String prefix = "arn:" + Aws.PARTITION + ":iam::" + Aws.ACCOUNT_ID + ":";
        Set<String> resources = new TreeSet<>();
        resources.add(prefix + "role/aws-service-role/*");
        resources.add(prefix + "role/aws-reserved/*");
        for (String pattern : policy.protectedPrincipals()) {
            for (String type : List.of("role", "user")) {
                resources.add(prefix + type + "/" + pattern);
                resources.add(prefix + type + "/*/" + pattern);
            }
        }
        return PolicyStatement.Builder.create()
                .sid("DenyProtectedPrincipals")
                .effect(Effect.DENY)
                .actions(iamChanges)
                .resources(List.copyOf(resources))
                .build();
    }
}
