import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * The Java runtime's resident compiler (runtimes/agent/PROTOCOL.md, "Resident compiler"). The agent starts it with the
 * container, as a uid of its own, and sends it the javac steps of runs on stdin; it answers on stdout. Each request is
 * javac's own command line (javax.tools' Tool.run: a new compiler context, and so a new file manager, per request), so
 * its diagnostics and exit code are javac's; only annotation processing is off, and the launcher's -J options are
 * dropped. Nothing of one compile is kept for the next. What it saves is the JVM's start and javac's warm-up: it
 * compiles a program in memory a few times while no request waits.
 */
public final class ResidentJavac {
    private static final int STDOUT = 1, STDERR = 2, EXIT = 3;
    private static final int MAX_ARGS = 4096, MAX_ARG_BYTES = 64 * 1024;
    private static final int WARM_UPS = 12;

    /** javac's exit codes past "error" and "bad command line": a system error or an abnormal end. */
    private static final int SYSTEM_ERROR = 3;

    public static void main(String[] args) throws IOException {
        // Only answers go to the agent's pipe: anything the JVM or javac would print on System.out goes to stderr.
        var answers = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out)));
        System.setOut(System.err);
        var requests = new DataInputStream(new BufferedInputStream(new FileInputStream(FileDescriptor.in)));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        for (int i = 0; i < WARM_UPS && requests.available() == 0; i++) {
            warmUp(javac);
        }

        for (;;) {
            List<String> request;
            try {
                request = read(requests);
            } catch (EOFException e) {
                return; // the agent went away
            }

            var output = new ByteArrayOutputStream();
            int code = javac.run(null, output, output, arguments(request));
            answers.writeByte(STDERR); // javac writes its diagnostics on stderr
            answers.writeInt(output.size());
            output.writeTo(answers);
            answers.writeByte(EXIT);
            answers.writeInt(4);
            answers.writeInt(code);
            answers.flush();
            if (code >= SYSTEM_ERROR) {
                // Out of memory or a crash inside javac: its state is not to be trusted. The agent starts another.
                System.exit(code);
            }
        }
    }

    private static List<String> read(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < 1 || count > MAX_ARGS) {
            throw new IOException("a request of " + count + " arguments");
        }

        var arguments = new ArrayList<String>(count);
        for (int i = 0; i < count; i++) {
            int length = in.readInt();
            if (length < 0 || length > MAX_ARG_BYTES) {
                throw new IOException("an argument of " + length + " bytes");
            }

            arguments.add(new String(in.readNBytes(length), StandardCharsets.UTF_8));
        }

        return arguments;
    }

    /**
     * The step's command line without its command (javac) and the launcher's -J options, with annotation processing
     * off, and with the class path the javac launcher would use when none is given: the working folder.
     */
    static String[] arguments(List<String> request) {
        var arguments = new ArrayList<String>();
        arguments.add("-proc:none");
        boolean classPath = false;
        for (String argument : request.subList(1, request.size())) {
            if (argument.startsWith("-J")) {
                continue;
            }

            classPath |= Set.of("-cp", "-classpath", "--class-path").contains(argument) || argument.startsWith("--class-path=");
            arguments.add(argument);
        }

        if (!classPath) {
            arguments.add(1, "-classpath");
            arguments.add(2, ".");
        }

        return arguments.toArray(String[]::new);
    }

    private static final String WARM_UP_SOURCE = """
        import java.util.*;
        import java.util.function.*;
        import java.util.stream.*;

        public class WarmUp {
            record Point(int x, int y) { int sum() { return x + y; } }
            enum Colour { RED, GREEN }
            interface Shape { double area(); }
            static final class Square implements Shape {
                private final double side;
                Square(double side) { this.side = side; }
                public double area() { return side * side; }
            }

            public static void main(String[] args) throws Exception {
                Scanner in = new Scanner(System.in);
                List<Integer> numbers = new ArrayList<>();
                Map<String, List<Point>> byName = new HashMap<>();
                for (int i = 0; i < 10; i++) {
                    numbers.add(i * i);
                    byName.computeIfAbsent("p" + i % 3, k -> new ArrayList<>()).add(new Point(i, -i));
                }
                var total = numbers.stream().filter(n -> n % 2 == 0).mapToInt(Integer::intValue).sum();
                Function<String, String> shout = s -> s.toUpperCase() + "!";
                String text = switch (Colour.values()[total % 2]) {
                    case RED -> "red";
                    case GREEN -> "green";
                };
                StringBuilder out = new StringBuilder();
                for (String key : new TreeSet<>(byName.keySet())) {
                    out.append(String.format("%s=%d%n", key, byName.get(key).stream().mapToInt(Point::sum).sum()));
                }
                try {
                    Shape shape = new Square(total);
                    System.out.println(shout.apply(text) + shape.area() + out + Arrays.toString(args));
                } catch (RuntimeException e) {
                    throw new IllegalStateException("never", e);
                }
            }
        }
        """;

    /** Compiles a program that uses what students' programs use, in memory: nothing is written anywhere. */
    private static void warmUp(JavaCompiler javac) throws IOException {
        var source = new SimpleJavaFileObject(URI.create("string:///WarmUp.java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return WARM_UP_SOURCE;
            }
        };
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8);
             var memory = new ForwardingJavaFileManager<JavaFileManager>(files) {
                 @Override
                 public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind, FileObject sibling) {
                     return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + kind.extension), kind) {
                         @Override
                         public OutputStream openOutputStream() {
                             return OutputStream.nullOutputStream();
                         }
                     };
                 }
             }) {
            javac.getTask(Writer.nullWriter(), memory, null, List.of("-proc:none"), null, List.of(source)).call();
        }
    }
}
