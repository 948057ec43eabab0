package dev.quell.tools.trim;

import java.util.HashSet;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;

/**
 * Removes from a generated service client the methods of operations the function never calls. A sync client
 * interface and its implementation hold several methods per operation (the call, its {@code Consumer} overload,
 * its paginator), and the implementation adds a metrics lambda per operation: EC2's client names about 750
 * operations, so the verifier loads every request class when it links the client, and the jar must carry them.
 * Without those methods, the request classes of uncalled operations are unreachable and the trimmer drops them.
 *
 * <p>A method is removed when its descriptor or generic signature names a class of an uncalled operation. A
 * synthetic lambda body {@code lambda$NAME$N} is removed with the methods called {@code NAME} when no method of
 * that name stays, and so is the {@code InnerClasses} entry of a removed class. The class is written with a fresh
 * constant pool, so the names of removed classes disappear from it too.
 */
final class ClientMethods {

    private static final Pattern DESCRIPTOR_CLASS = Pattern.compile("L([\\w/$]+)[;<]");
    private static final Pattern LAMBDA = Pattern.compile("lambda\\$(\\w+)\\$\\d+");

    private ClientMethods() {
    }

    /** The rewritten class file, and how many methods it lost. */
    record Stripped(byte[] classFile, int removedMethods) {
    }

    /**
     * Returns the class without the methods that name an uncalled operation's class.
     *
     * @param uncalled whether an internal class name ({@code a/b/C}) belongs to an operation the function never
     *     calls
     */
    static Stripped strip(byte[] classFile, Predicate<String> uncalled) {
        ClassNode node = new ClassNode();
        new ClassReader(classFile).accept(node, 0);
        Set<String> removedNames = new HashSet<>();
        Set<String> keptNames = new HashSet<>();
        for (MethodNode method : node.methods) {
            if (namesAny(method.desc, uncalled) || method.signature != null && namesAny(method.signature, uncalled)) {
                removedNames.add(method.name);
            } else {
                keptNames.add(method.name);
            }
        }
        removedNames.removeAll(keptNames);
        int before = node.methods.size();
        node.methods.removeIf(method -> namesAny(method.desc, uncalled)
                || method.signature != null && namesAny(method.signature, uncalled)
                || isLambdaOf(method.name, removedNames));
        if (node.methods.size() == before) {
            return new Stripped(classFile, 0);
        }
        // The InnerClasses attribute names the builders of every operation; the removed ones go with their methods.
        node.innerClasses.removeIf(inner -> uncalled.test(inner.name));
        // No ClassReader is handed to the writer, so it builds a new constant pool from what is left.
        ClassWriter writer = new ClassWriter(0);
        node.accept(writer);
        return new Stripped(writer.toByteArray(), before - node.methods.size());
    }

    private static boolean isLambdaOf(String name, Set<String> removedNames) {
        Matcher matcher = LAMBDA.matcher(name);
        return matcher.matches() && removedNames.contains(matcher.group(1));
    }

    private static boolean namesAny(String descriptor, Predicate<String> uncalled) {
        Matcher matcher = DESCRIPTOR_CLASS.matcher(descriptor);
        while (matcher.find()) {
            if (uncalled.test(matcher.group(1))) {
                return true;
            }
        }
        return false;
    }
}
