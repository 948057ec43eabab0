package dev.quell.tools.trim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JarTrimmerTest {

    @Test
    void parsesOperationsAcrossLines() {
        var called = JarTrimmer.parseOperations("""
                ec2:DescribeInstances, ec2:CreateTags,
                iam:PutRolePolicy
                """);

        assertThat(called).isEqualTo(Map.of("ec2", Set.of("DescribeInstances", "CreateTags"),
                "iam", Set.of("PutRolePolicy")));
    }

    @Test
    void rejectsOperationWithoutService() {
        assertThatThrownBy(() -> JarTrimmer.parseOperations("DescribeInstances"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SERVICE:Operation");
    }

    @Test
    void readsReferencesOfOwnClass() throws Exception {
        byte[] classFile;
        try (var in = JarTrimmer.class.getResourceAsStream("JarTrimmer.class")) {
            classFile = in.readAllBytes();
        }

        Set<String> references = ClassReferences.of(classFile);

        assertThat(references).contains("java/util/zip/ZipOutputStream", "dev/quell/tools/trim/SdkEntries",
                "dev/quell/tools/trim/SdkEntries$Kind", "java/nio/file/Path");
    }
}
