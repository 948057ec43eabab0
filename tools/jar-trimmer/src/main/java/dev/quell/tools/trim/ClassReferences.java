package dev.quell.tools.trim;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the class names a class file refers to from its constant pool: the {@code CONSTANT_Class} entries, and
 * every class named in a type descriptor or generic signature among its UTF-8 entries (field and method types,
 * method types of {@code invokedynamic} and method handles). The set over-approximates the classes the JVM can
 * load for this class, which is what a reachability closure needs. Names use the internal form
 * ({@code java/lang/String}).
 */
final class ClassReferences {

    private static final int MAGIC = 0xCAFEBABE;
    private static final Pattern DESCRIPTOR_CLASS = Pattern.compile("L([\\w/$]+)[;<]");

    private ClassReferences() {
    }

    /**
     * Returns the classes referred to by the class file.
     *
     * @throws IllegalArgumentException when the bytes are not a class file
     */
    static Set<String> of(byte[] classFile) {
        try {
            return read(new DataInputStream(new ByteArrayInputStream(classFile)));
        } catch (IOException e) {
            throw new UncheckedIOException("truncated class file", e);
        }
    }

    private static Set<String> read(DataInputStream in) throws IOException {
        if (in.readInt() != MAGIC) {
            throw new IllegalArgumentException("not a class file: the magic number is missing");
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        List<Integer> classNameIndexes = new ArrayList<>();
        for (int index = 1; index < count; index++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[index] = in.readUTF();
                case 3, 4 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    index++;
                }
                case 7 -> classNameIndexes.add(in.readUnsignedShort());
                case 8, 16, 19, 20 -> in.readUnsignedShort();
                case 9, 10, 11, 12, 17, 18 -> in.readInt();
                case 15 -> {
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                default -> throw new IllegalArgumentException("unknown constant pool tag " + tag + " at entry "
                        + index);
            }
        }
        Set<String> names = new HashSet<>();
        for (int index : classNameIndexes) {
            String name = utf8[index];
            if (name.startsWith("[")) {
                addDescriptorClasses(name, names);
            } else {
                names.add(name);
            }
        }
        for (String text : utf8) {
            if (text != null && text.indexOf('L') >= 0 && text.indexOf(';') >= 0) {
                addDescriptorClasses(text, names);
            }
        }
        return names;
    }

    private static void addDescriptorClasses(String descriptor, Set<String> names) {
        Matcher matcher = DESCRIPTOR_CLASS.matcher(descriptor);
        while (matcher.find()) {
            names.add(matcher.group(1));
        }
    }
}
