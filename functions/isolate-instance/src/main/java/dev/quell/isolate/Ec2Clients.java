package dev.quell.isolate;

import dev.quell.core.aws.AwsClients;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.iam.IamClient;

/** The clients isolation calls, for one account and region. IAM's client signs for the partition's global region. */
public record Ec2Clients(
        Ec2Client ec2,
        AutoScalingClient autoScaling,
        ElasticLoadBalancingV2Client loadBalancing,
        IamClient iam) {

    /** Returns the cached clients for an account and region. */
    public static Ec2Clients of(AwsClients clients, String account, Region region) {
        return new Ec2Clients(
                clients.client(Ec2Client::builder, account, region),
                clients.client(AutoScalingClient::builder, account, region),
                clients.client(ElasticLoadBalancingV2Client::builder, account, region),
                clients.client(IamClient::builder, account, AwsClients.iamRegion(region)));
    }
}
