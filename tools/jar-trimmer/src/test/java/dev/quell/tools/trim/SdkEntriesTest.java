package dev.quell.tools.trim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quell.tools.trim.SdkEntries.Kind;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SdkEntriesTest {

    private static final Map<String, Set<String>> OPERATIONS = Map.of(
            "ec2", Set.of("DescribeInstances", "RunInstances", "CreateTags"), "dynamodb", Set.of("GetRecords"));
    private static final Map<String, Set<String>> CALLED = Map.of("ec2", Set.of("DescribeInstances"));

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource({
        "dev/quell/isolate/InstanceReader.class, ROOT",
        "software/amazon/awssdk/core/SdkRequest.class, ROOT",
        "software/amazon/awssdk/services/ec2/DefaultEc2Client.class, ROOT",
        "software/amazon/awssdk/services/ec2/Ec2Client.class, ROOT",
        "software/amazon/awssdk/services/ec2/DefaultEc2AsyncClient.class, REMOVED",
        "software/amazon/awssdk/services/ec2/Ec2AsyncClientBuilder.class, REMOVED",
        "software/amazon/awssdk/services/ec2/paginators/DescribeInstancesPublisher.class, REMOVED",
        "software/amazon/awssdk/services/ec2/paginators/DescribeInstancesIterable.class, ROOT",
        "software/amazon/awssdk/services/ec2/waiters/Ec2Waiter.class, REMOVED",
        "software/amazon/awssdk/services/ec2/model/DescribeInstancesRequest.class, ROOT",
        "software/amazon/awssdk/services/ec2/model/DescribeInstancesResponse$BuilderImpl.class, ROOT",
        "software/amazon/awssdk/services/ec2/transform/DescribeInstancesRequestMarshaller.class, ROOT",
        "software/amazon/awssdk/services/ec2/model/RunInstancesRequest.class, LINK_ONLY",
        "software/amazon/awssdk/services/ec2/model/RunInstancesRequest$Builder.class, REMOVED",
        "software/amazon/awssdk/services/ec2/model/RunInstancesResponse.class, REMOVED",
        "software/amazon/awssdk/services/ec2/transform/RunInstancesRequestMarshaller.class, REMOVED",
        "software/amazon/awssdk/services/ec2/model/Instance.class, REACHABLE",
        "software/amazon/awssdk/services/ec2/model/Ec2Request.class, REACHABLE",
        "software/amazon/awssdk/services/ec2/model/LaunchTemplateInstanceMarketOptionsRequest.class, REACHABLE",
        "software/amazon/awssdk/services/ec2/endpoints/internal/Ec2ResolveEndpointInterceptor.class, REACHABLE",
        "software/amazon/awssdk/services/ec2/endpoints/internal/DefaultRuleEngine.class, REACHABLE",
        "software/amazon/awssdk/services/ec2/endpoints/Ec2EndpointProvider.class, ROOT",
        "software/amazon/awssdk/services/ec2/transform/internal/GeneratePreSignUrlInterceptor.class, REACHABLE",
        "software/amazon/awssdk/services/dynamodb/streams/DynamoDbStreamsClient.class, ROOT",
        "software/amazon/awssdk/services/dynamodb/streams/transform/GetRecordsRequestMarshaller.class, REMOVED",
        "software/amazon/awssdk/services/ec2/paginators/RunInstancesIterable.class, REMOVED"
    })
    void classifies(String entry, Kind expected) {
        assertThat(SdkEntries.classify(entry, OPERATIONS, CALLED)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} generated: {1}")
    @CsvSource({
        "software/amazon/awssdk/services/ec2/transform/CreateTagsRequestMarshaller.class, true",
        "software/amazon/awssdk/services/ec2/transform/internal/GeneratePreSignUrlInterceptor.class, false",
        "software/amazon/awssdk/services/dynamodb/streams/transform/GetRecordsRequestMarshaller.class, true",
        "software/amazon/awssdk/services/dynamodb/streams/DynamoDbStreamsClient.class, true",
        "software/amazon/awssdk/services/sts/auth/StsAssumeRoleCredentialsProvider.class, false",
        "dev/quell/Example.class, false"
    })
    void generated(String entry, boolean expected) {
        assertThat(SdkEntries.isGenerated(entry)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} sync client: {1}")
    @CsvSource({
        "software/amazon/awssdk/services/ec2/Ec2Client.class, true",
        "software/amazon/awssdk/services/ec2/DefaultEc2Client.class, true",
        "software/amazon/awssdk/services/dynamodb/streams/DynamoDbStreamsClient.class, true",
        "software/amazon/awssdk/services/ec2/Ec2AsyncClient.class, false",
        "software/amazon/awssdk/services/ec2/DefaultEc2Client$1.class, false",
        "software/amazon/awssdk/services/ec2/model/ClientVpnClient.class, false",
        "software/amazon/awssdk/core/client/SdkClient.class, false"
    })
    void syncClient(String entry, boolean expected) {
        assertThat(SdkEntries.isSyncClient(entry)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(nullValues = "none", value = {
        "software/amazon/awssdk/services/ec2/transform/CreateTagsRequestMarshaller.class, CreateTags",
        "software/amazon/awssdk/services/ec2/transform/internal/GeneratePreSignUrlInterceptor.class, none",
        "software/amazon/awssdk/services/ec2/model/CreateTagsRequest.class, none",
        "dev/quell/Example.class, none"
    })
    void marshalledOperation(String entry, String expected) {
        assertThat(SdkEntries.marshalledOperation(entry)).isEqualTo(expected);
    }
}
