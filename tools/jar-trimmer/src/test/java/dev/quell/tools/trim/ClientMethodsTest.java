package dev.quell.tools.trim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.ClassNode;

class ClientMethodsTest {

    private static final String MODEL = "software/amazon/awssdk/services/ec2/model/";

    @Test
    void strip_removesUncalledOperations() {
        byte[] client = client();

        ClientMethods.Stripped stripped = ClientMethods.strip(client,
                name -> name.startsWith(MODEL + "RunInstances"));

        ClassNode node = new ClassNode();
        new ClassReader(stripped.classFile()).accept(node, 0);
        List<String> methods = node.methods.stream().map(method -> method.name).toList();
        assertThat(methods).containsExactlyInAnyOrder("describeInstances", "lambda$describeInstances$0",
                "serviceName");
        assertThat(node.innerClasses).extracting(inner -> inner.name)
                .containsExactly(MODEL + "DescribeInstancesRequest$Builder");
        assertThat(stripped.removedMethods()).isEqualTo(3);
        assertThat(ClassReferences.of(stripped.classFile())).noneMatch(name -> name.contains("RunInstances"))
                .contains(MODEL + "DescribeInstancesResponse");
    }

    @Test
    void strip_keepsClassWithoutThem() {
        byte[] client = client();

        ClientMethods.Stripped stripped = ClientMethods.strip(client, name -> false);

        assertThat(stripped.removedMethods()).isZero();
        assertThat(stripped.classFile()).isSameAs(client);
    }

    /** Builds a client with a call, a lambda and a builder inner class for each of two operations. */
    private static byte[] client() {
        ClassWriter writer = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        writer.visit(Opcodes.V1_8, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL, "example/DefaultExampleClient", null,
                "java/lang/Object", null);
        for (String operation : List.of("DescribeInstances", "RunInstances")) {
            String request = MODEL + operation + "Request";
            writer.visitInnerClass(request + "$Builder", request, "Builder",
                    Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_INTERFACE | Opcodes.ACC_ABSTRACT);
            String name = Character.toLowerCase(operation.charAt(0)) + operation.substring(1);
            returnNull(writer, name, "(L" + request + ";)L" + MODEL + operation + "Response;");
            returnNull(writer, "lambda$" + name + "$" + (operation.startsWith("D") ? 0 : 1),
                    "(Ljava/lang/Object;)Ljava/lang/Object;");
        }
        returnNull(writer, "runInstances", "(Ljava/util/function/Consumer;)Ljava/lang/Object;");
        returnNull(writer, "serviceName", "()Ljava/lang/String;");
        writer.visitEnd();
        return writer.toByteArray();
    }

    private static void returnNull(ClassWriter writer, String name, String descriptor) {
        boolean generic = descriptor.contains("Consumer");
        MethodVisitor method = writer.visitMethod(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, name, descriptor,
                generic ? "(Ljava/util/function/Consumer<L" + MODEL + "RunInstancesRequest$Builder;>;)"
                        + "Ljava/lang/Object;" : null, null);
        method.visitCode();
        method.visitInsn(Opcodes.ACONST_NULL);
        method.visitInsn(Opcodes.ARETURN);
        method.visitMaxs(0, 0);
        method.visitEnd();
    }
}
