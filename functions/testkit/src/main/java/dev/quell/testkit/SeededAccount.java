package dev.quell.testkit;

import java.net.URI;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.ec2.model.IpPermission;
import software.amazon.awssdk.services.ec2.model.IpRange;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetDescription;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * A realistic account on a local AWS endpoint. It has a VPC with two subnets, and a web tier of two instances in
 * an Auto Scaling group behind a target group. A standalone application instance has two network interfaces and
 * two volumes, and all three instances share one instance profile's role. A bastion is tagged exempt. An IAM user
 * has two access keys, and a deployment role is assumed only by people and pipelines.
 *
 * @param webInstanceIds the web tier's instances, launched by the Auto Scaling group
 * @param appInstanceId the application instance with two interfaces and a profile
 * @param exemptInstanceId an instance tagged {@code quell:exempt=true}
 */
public record SeededAccount(
        String account,
        String region,
        String vpcId,
        List<String> subnetIds,
        String webGroupId,
        String appGroupId,
        String autoScalingGroup,
        String targetGroupArn,
        List<String> webInstanceIds,
        String appInstanceId,
        List<String> appInterfaceIds,
        String roleName,
        String profileName,
        String exemptInstanceId,
        String userName,
        List<String> userKeyIds,
        String roleId,
        String deployRoleName,
        String deployRoleId) {

    /** moto's default account, which it uses for any access key it does not know. */
    public static final String ACCOUNT = "123456789012";

    /** The AMI id moto accepts for launches. */
    private static final String AMI = "ami-12c6146b";

    /** Returns SDK clients' static test credentials; moto accepts any. */
    public static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
    }

    /** Seeds a new account on the endpoint, in the region. Each call creates new resources with unique names. */
    public static SeededAccount seed(URI endpoint, String region) {
        try (SdkHttpClient http = UrlConnectionHttpClient.create();
                Ec2Client ec2 = Ec2Client.builder().httpClient(http).endpointOverride(endpoint)
                        .region(Region.of(region)).credentialsProvider(credentials()).build();
                AutoScalingClient autoScaling = AutoScalingClient.builder().httpClient(http)
                        .endpointOverride(endpoint).region(Region.of(region)).credentialsProvider(credentials())
                        .build();
                ElasticLoadBalancingV2Client elb = ElasticLoadBalancingV2Client.builder().httpClient(http)
                        .endpointOverride(endpoint).region(Region.of(region)).credentialsProvider(credentials())
                        .build();
                IamClient iam = IamClient.builder().httpClient(http).endpointOverride(endpoint)
                        .region(Region.AWS_GLOBAL).credentialsProvider(credentials()).build()) {
            return new Seeder(ec2, autoScaling, elb, iam, region).seed();
        }
    }

    /** The calls that build the account, in dependency order. */
    private record Seeder(Ec2Client ec2, AutoScalingClient autoScaling, ElasticLoadBalancingV2Client elb,
            IamClient iam, String region) {

        SeededAccount seed() {
            String suffix = Long.toString(System.nanoTime(), 36);
            String vpc = ec2.createVpc(r -> r.cidrBlock("10.20.0.0/16")).vpc().vpcId();
            String subnetA = subnet(vpc, "10.20.1.0/24", region + "a");
            String subnetB = subnet(vpc, "10.20.2.0/24", region + "b");
            String webGroup = group(vpc, "web-" + suffix, 443);
            String appGroup = group(vpc, "app-" + suffix, 8080);
            String role = "app-role-" + suffix;
            String profile = "app-profile-" + suffix;
            iam.createRole(r -> r.roleName(role).assumeRolePolicyDocument(EC2_TRUST));
            iam.createInstanceProfile(r -> r.instanceProfileName(profile));
            iam.addRoleToInstanceProfile(r -> r.instanceProfileName(profile).roleName(role));
            String targetGroup = elb.createTargetGroup(r -> r.name("web-" + suffix).protocol(ProtocolEnum.HTTP)
                    .port(80).vpcId(vpc)).targetGroups().get(0).targetGroupArn();
            String asg = "web-" + suffix;
            List<String> web = webTier(asg, webGroup, subnetA, subnetB, targetGroup, profile, suffix);
            Instance app = launch(appGroup, subnetA, profile, "app-server", false);
            String secondEni = ec2.createNetworkInterface(r -> r.subnetId(subnetA).groups(appGroup)
                    .description("app data interface")).networkInterface().networkInterfaceId();
            ec2.attachNetworkInterface(r -> r.instanceId(app.instanceId()).networkInterfaceId(secondEni)
                    .deviceIndex(1));
            String dataVolume = ec2.createVolume(r -> r.availabilityZone(region + "a").size(20)).volumeId();
            ec2.attachVolume(r -> r.instanceId(app.instanceId()).volumeId(dataVolume).device("/dev/sdf"));
            Instance exempt = launch(appGroup, subnetB, null, "bastion", true);
            String user = "build+bot@" + suffix;
            iam.createUser(r -> r.userName(user));
            List<String> keys = List.of(
                    iam.createAccessKey(r -> r.userName(user)).accessKey().accessKeyId(),
                    iam.createAccessKey(r -> r.userName(user)).accessKey().accessKeyId());
            String deployRole = "ci-deploy-" + suffix;
            String deployRoleId = iam.createRole(r -> r.roleName(deployRole).assumeRolePolicyDocument(
                    ACCOUNT_TRUST)).role().roleId();
            String roleId = iam.getRole(r -> r.roleName(role)).role().roleId();
            return new SeededAccount(ACCOUNT, region, vpc, List.of(subnetA, subnetB), webGroup, appGroup, asg,
                    targetGroup, web, app.instanceId(),
                    List.of(app.networkInterfaces().get(0).networkInterfaceId(), secondEni), role, profile,
                    exempt.instanceId(), user, keys, roleId, deployRole, deployRoleId);
        }

        private List<String> webTier(String asg, String webGroup, String subnetA, String subnetB,
                String targetGroup, String profile, String suffix) {
            String template = "web-" + suffix;
            ec2.createLaunchTemplate(r -> r.launchTemplateName(template).launchTemplateData(d -> d.imageId(AMI)
                    .instanceType(InstanceType.T3_MICRO).securityGroupIds(webGroup)
                    .iamInstanceProfile(p -> p.name(profile))));
            autoScaling.createAutoScalingGroup(r -> r.autoScalingGroupName(asg).minSize(2).maxSize(4)
                    .desiredCapacity(2).vpcZoneIdentifier(subnetA + "," + subnetB).targetGroupARNs(targetGroup)
                    .launchTemplate(t -> t.launchTemplateName(template).version("$Latest")));
            List<String> ids = autoScaling.describeAutoScalingGroups(r -> r.autoScalingGroupNames(asg))
                    .autoScalingGroups().get(0).instances().stream().map(i -> i.instanceId()).toList();
            elb.registerTargets(r -> r.targetGroupArn(targetGroup).targets(ids.stream()
                    .map(id -> TargetDescription.builder().id(id).port(80).build()).toList()));
            // moto does not apply a launch template's instance profile, so associate it as EC2 would have.
            ids.forEach(id -> ec2.associateIamInstanceProfile(r -> r.instanceId(id)
                    .iamInstanceProfile(p -> p.name(profile))));
            return ids;
        }

        private Instance launch(String group, String subnet, String profile, String name, boolean exempt) {
            List<Tag> tags = exempt ? List.of(tag("Name", name), tag("quell:exempt", "true"))
                    : List.of(tag("Name", name));
            return ec2.runInstances(r -> {
                r.imageId(AMI).instanceType(InstanceType.T3_MICRO).minCount(1).maxCount(1).subnetId(subnet)
                        .securityGroupIds(group)
                        .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.INSTANCE)
                                .tags(tags).build());
                if (profile != null) {
                    r.iamInstanceProfile(p -> p.name(profile));
                }
            }).instances().get(0);
        }

        private String subnet(String vpc, String cidr, String zone) {
            return ec2.createSubnet(r -> r.vpcId(vpc).cidrBlock(cidr).availabilityZone(zone)).subnet().subnetId();
        }

        private String group(String vpc, String name, int port) {
            String id = ec2.createSecurityGroup(r -> r.vpcId(vpc).groupName(name).description(name + " tier"))
                    .groupId();
            ec2.authorizeSecurityGroupIngress(r -> r.groupId(id).ipPermissions(IpPermission.builder()
                    .ipProtocol("tcp").fromPort(port).toPort(port)
                    .ipRanges(IpRange.builder().cidrIp("0.0.0.0/0").build()).build()));
            return id;
        }

        private static Tag tag(String key, String value) {
            return Tag.builder().key(key).value(value).build();
        }

        private static final String ACCOUNT_TRUST = """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::\
                123456789012:root"},"Action":"sts:AssumeRole"}]}""";

        private static final String EC2_TRUST = """
                {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},\
                "Action":"sts:AssumeRole"}]}""";
    }
}
