package dev.quell.infra;

import dev.quell.infra.FunctionSpec.Kind;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awscdk.BootstraplessSynthesizer;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.CfnParameter;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.iam.AccountPrincipal;
import software.amazon.awscdk.services.iam.PolicyDocument;
import software.amazon.awscdk.services.iam.Role;
import software.constructs.Construct;

/**
 * The role the responders assume in each member account. It trusts only the responder roles of the security
 * account and carries the same generated permissions as the responder functions.
 *
 * <p>The template is one flat file with no nested stacks, assets or Lambda functions, and needs no CDK bootstrap,
 * so it deploys as a service-managed StackSet to organizational units as well as a plain stack.
 */
public final class MemberRoleStack extends Stack {

    public static final String RESPONDER_ACCOUNT_PARAMETER = "ResponderAccountId";
    public static final String RESPONDER_ROLES_PARAMETER = "ResponderRoleArns";

    private final Role role;

    /** Returns stack properties for a template that needs no bootstrap, as StackSets require. */
    public static StackProps props(String description) {
        return StackProps.builder()
                .description(description)
                .synthesizer(new BootstraplessSynthesizer())
                .analyticsReporting(false)
                .build();
    }

    /**
     * @param specs the functions whose step contracts the role is granted; only responders act in member accounts
     */
    public MemberRoleStack(Construct scope, String id, StackProps props, DeploySettings settings,
            List<FunctionSpec> specs) {
        super(scope, id, props);
        CfnParameter account = CfnParameter.Builder.create(this, RESPONDER_ACCOUNT_PARAMETER)
                .type("String")
                .allowedPattern("^\\d{12}$")
                .constraintDescription("must be a 12-digit AWS account id")
                .description("The security account where the Quell responder stack runs")
                .build();
        CfnParameter roles = CfnParameter.Builder.create(this, RESPONDER_ROLES_PARAMETER)
                .type("CommaDelimitedList")
                .description("The responder role ARNs, from the ResponderRoleArns output of the responder stack;"
                        + " list the roles of every region the responder stack is deployed in")
                .build();

        Set<String> actions = responderActions(specs);
        this.role = Role.Builder.create(this, "MemberRole")
                .roleName(settings.memberRoleName())
                .description("Assumed by the Quell responder functions of the security account to contain threats")
                .assumedBy(new AccountPrincipal(account.getValueAsString()).withConditions(trustConditions(
                        settings, roles.getValueAsList())))
                .inlinePolicies(Map.of("quell-contracts", PolicyDocument.Builder.create()
                        .statements(Permissions.statements(actions, settings.policy()))
                        .build()))
                .build();
        MemberNagSuppressions.apply(this, actions);
        CfnOutput.Builder.create(this, "MemberRoleArn").value(role.getRoleArn()).build();
    }

    public Role role() {
        return role;
    }

    /** Returns the union of the step contract actions of every responder function. */
    public static Set<String> responderActions(List<FunctionSpec> specs) {
        Set<String> actions = new TreeSet<>();
        specs.stream()
                .filter(spec -> spec.kind() == Kind.RESPONDER)
                .forEach(spec -> actions.addAll(spec.contractActions()));
        return actions;
    }

    /**
     * Only the listed roles of the responder account may assume the role, and with an organization id only while
     * that account belongs to the organization. Matching on the principal ARN, not naming the roles as principals,
     * lets the member role exist before the responder roles do.
     */
    private static Map<String, Object> trustConditions(DeploySettings settings, List<String> roleArns) {
        Map<String, Object> conditions = new LinkedHashMap<>();
        conditions.put("ArnEquals", Map.of("aws:PrincipalArn", roleArns));
        settings.organizationId().ifPresent(organization ->
                conditions.put("StringEquals", Map.of("aws:PrincipalOrgID", organization)));
        return conditions;
    }
}
