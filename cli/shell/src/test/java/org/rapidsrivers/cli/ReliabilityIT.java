package org.rapidsrivers.cli;

import org.rapidsrivers.core.testing.Needed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteJDBCLoader;
import org.sqlite.util.OSInfo;

/**
 * What goes in comes out, exactly, at least once, whatever the reader, the locale or the disk does:
 * each case a tester found, run through the real ./rr as a user would.
 */
class ReliabilityIT {
    private static final Pattern EVENT_ID = Pattern.compile("\"eventId\":\"([0-9a-f-]{36})\"");

    @TempDir
    Path workDir;

    @BeforeEach
    void aRiver() {
        assertThat(rr("subscribe", "r1", "X").exitCode()).isZero();
    }

    @Test
    void readingIntoAClosedPipeDeletesNothingAndSaysSo() throws Exception {
        rr("send", "X", "S", "{\"n\":1}");

        Shell piped = bash(launcher() + " --stage dev --json readfrom --wait 3 r1 | true; echo \"rr=${PIPESTATUS[0]}\"");

        assertThat(piped.out()).contains("rr=1");
        assertThat(piped.err()).isEqualTo("{\"error\":\"could not write to standard output (closed pipe or full disk),"
                + " so nothing was deleted: the 1 event(s) come back to river r1 after 30 s\"}\n");
        assertThat(messagesIn("r1")).isEqualTo(1);
    }

    @Test
    void readingIntoAFullDiskDeletesNothing() throws Exception {
        Needed.assume(Files.isWritable(Path.of("/dev/full")), "/dev/full is needed to make writes fail");
        rr("send", "X", "S", "{\"n\":1}");

        Shell full = bash(launcher() + " --stage dev --json readfrom --wait 3 r1 > /dev/full; echo \"rr=$?\"");

        assertThat(full.out()).contains("rr=1");
        assertThat(messagesIn("r1")).isEqualTo(1);
    }

    /**
     * The reader is killed after printing everything and before its delete: its output is more than a
     * pipe holds, so it cannot finish printing until the test has read it all, and the test holds
     * the database's write lock from before that point, so the delete cannot happen before the kill.
     */
    @Test
    void aReaderKilledBetweenPrintingAndDeletingLosesNothing() throws Exception {
        StringBuilder script = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            script.append("send X S '{\"n\":").append(i).append(",\"pad\":\"").append("x".repeat(10_000)).append("\"}'\n");
        }
        assertThat(RrProcess.run(workDir, script.toString(), "--stage", "dev").exitCode()).isZero();
        Process reader = new ProcessBuilder(launcher(), "--stage", "dev", "--json", "readfrom", "r1")
                .directory(workDir.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(reader.getInputStream(), StandardCharsets.UTF_8));
        char[] first = new char[1024];
        assertThat(out.read(first)).isPositive();
        String printed;
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + workDir.resolve(".rapids/dev.db"));
             Statement lock = db.createStatement()) {
            lock.execute("BEGIN IMMEDIATE");
            printed = new String(first) + out.readLine();
            reader.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            lock.execute("ROLLBACK");
        }

        assertThat(eventIds(printed)).hasSize(10);
        assertThat(messagesIn("r1")).isEqualTo(10);
    }

    /**
     * A service killed with SIGKILL leaves nothing in the temporary directory: SQLite's native library is
     * loaded from one copy in the user's cache, not from a copy per process that only a normal exit removes.
     */
    @Test
    void aServiceKilledWithSigkillLeavesNoCopyOfSqliteInTheTemporaryDirectory() throws Exception {
        Path tmp = Files.createDirectories(workDir.resolve("tmp"));
        Path cache = workDir.resolve("cache");
        Map<String, String> env = Map.of("XDG_CACHE_HOME", cache.toString(),
                "RR_JAVA_OPTS", "-XX:TieredStopAtLevel=1 -XX:+UseParallelGC -Djava.io.tmpdir=" + tmp);
        try (ServiceProcesses services = new ServiceProcesses(workDir, List.of("--stage", "dev"))) {
            services.start("brand", List.of(), env);
            services.kill("brand");
        }

        try (var left = Files.list(tmp)) {
            assertThat(left.map(path -> path.getFileName().toString())).noneMatch(name -> name.contains("sqlitejdbc"));
        }
        try (var cached = Files.walk(cache)) {
            assertThat(cached.map(path -> path.getFileName().toString())).contains(System.mapLibraryName("sqlitejdbc"));
        }
    }

    /**
     * Native code runs with the user's rights (issue 27, medium 3): a library planted where others may write
     * is never loaded (rr before loaded whatever lay at that path, and this garbage would have failed it), and
     * one line says so; in the user's own cache a planted copy is replaced by the jar's before it is loaded.
     */
    @Test
    void aNativeLibraryPlantedInACacheOthersMayWriteIsNeverLoaded() throws Exception {
        String folder = "sqlite-jdbc-" + SQLiteJDBCLoader.getVersion() + "-"
                + OSInfo.getNativeLibFolderPathForCurrentOS().replace('/', '-');
        String name = System.mapLibraryName("sqlitejdbc");
        Path shared = Files.createDirectories(workDir.resolve("shared"));
        Path planted = Files.createDirectories(shared.resolve("rr").resolve(folder)).resolve(name);
        Files.write(planted, "\u007fELF planted by another user".getBytes(StandardCharsets.UTF_8));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));

        RrProcess.Result topics = RrProcess.run(workDir, null, Map.of("XDG_CACHE_HOME", shared.toString()), "--stage", "dev", "topics");

        assertThat(topics.exitCode()).as(topics.stderr()).isZero();
        assertThat(topics.errors().lines().toList()).singleElement().satisfies(line -> assertThat(line)
                .startsWith("rr: SQLite's native library is not loaded from " + planted)
                .contains(shared + " may be written by others (mode 777)"));
        assertThat(Files.readString(planted)).contains("planted by another user");

        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwx------"));
        RrProcess.Result own = RrProcess.run(workDir, null, Map.of("XDG_CACHE_HOME", shared.toString()), "--stage", "dev", "topics");
        assertThat(own.exitCode()).as(own.stderr()).isZero();
        assertThat(own.errors()).isEmpty();
        assertThat(Files.readAllBytes(planted)).as("the jar's copy, written over the planted one").hasSizeGreaterThan(100_000);
    }

    @Test
    void nonAsciiArgumentsArriveIntactWithoutALocale() {
        Map<String, String> noLocale = Map.of("LANG", "", "LC_ALL", "", "LC_CTYPE", "");

        assertThat(RrProcess.run(workDir, null, noLocale, "--stage", "dev", "send", "X", "S", "{\"a\":\"café 頁 😀\"}")
                .exitCode()).isZero();
        assertThat(RrProcess.run(workDir, null, noLocale, "--stage", "dev", "advertise", "Café").stdout())
                .isEqualTo("advertised Café\n");
        assertThat(RrProcess.run(workDir, null, noLocale, "--stage", "dev", "topics").stdout()).isEqualTo("[\"Café\"]\n");
        assertThat(RrProcess.run(workDir, null, noLocale, "--stage", "dev", "--json", "readfrom", "r1").stdout())
                .contains("\"payload\":{\"a\":\"café 頁 😀\"}");
    }

    @Test
    void anArgumentThatIsNotUtf8IsRefusedNotChanged() throws Exception {
        Shell latin1 = bash("LANG= LC_ALL= " + launcher() + " --stage dev send X S $'{\"a\":\"caf\\xe9\"}'; echo \"rr=$?\"");

        assertThat(latin1.out()).contains("rr=2");
        assertThat(latin1.err()).isEqualTo("error: argument 6 is not valid UTF-8: rr reads its arguments as UTF-8 text,"
                + " whatever the locale\n");
        assertThat(messagesIn("r1")).isZero();
    }

    @Test
    void payloadsThatCouldNotArriveUnchangedAreRefusedAtSend() throws Exception {
        assertThat(rr("send", "X", "S", "{\"a\":\"\\ud800\"}").errors()).startsWith(
                "error: invalid data: invalid JSON string: a lone surrogate \\ud800 at line 1, column 14 cannot be carried");
        assertThat(rr("send", "X", "S", "[".repeat(999) + "]".repeat(999)).errors()).isEqualTo(
                "error: invalid data: JSON nested too deep: at most 99 levels of objects and arrays are allowed\n");
        assertThat(rr("send", "X", "S", "[".repeat(1000) + "]".repeat(1000)).exitCode()).isEqualTo(1);
        assertThat(messagesIn("r1")).isZero();
    }

    @Test
    void numbersArePrintedAsTheyWereSent() {
        String payload = "{\"a\":1e400,\"b\":-1e309,\"c\":123456789012345678.5,\"d\":1e-400,\"e\":1.10,\"f\":1e+21}";
        rr("send", "X", "S", payload);

        assertThat(rr("--json", "readfrom", "r1").stdout()).contains("\"payload\":" + payload);
    }

    @Test
    void theFifthPeekWarnsThatTheNextReceiveDeadLettersTheEvent() {
        rr("send", "X", "S", "{}");
        List<RrProcess.Result> peeks = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            peeks.add(rr("readfrom", "--peek", "r1"));
        }

        assertThat(peeks.subList(0, 4)).allSatisfy(peek -> assertThat(peek.errors()).isEmpty());
        assertThat(peeks.get(4).errors()).isEqualTo("warning: that peek was receive 5 of 5 of a message of river r1"
                + " (peeks count, as in SQS): the next receive moves it to r1-dlq; read it without --peek to keep it\n");
        assertThat(peeks.get(5).stdout()).isEqualTo("[]\n");
    }

    @Test
    void theDataDirectoryAndItsFilesAreTheOwnersAlone() throws Exception {
        Path fresh = workDir.resolve("fresh");
        Shell made = bash("umask 022; " + launcher() + " --data-dir " + fresh + " --stage dev topics");

        assertThat(made.out()).isEqualTo("[]\n");
        assertThat(permissions(fresh)).isEqualTo("rwx------");
        try (var files = Files.list(fresh)) {
            assertThat(files.toList()).isNotEmpty().allSatisfy(file -> assertThat(permissions(file)).isEqualTo("rw-------"));
        }
    }

    @Test
    void aSqliteFileOfAnotherProgramIsNeverWrittenInto() throws Exception {
        Path other = Files.createDirectories(workDir.resolve("other"));
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + other.resolve("dev.db"));
             Statement statement = db.createStatement()) {
            statement.execute("CREATE TABLE notes (text TEXT)");
        }

        RrProcess.Result result = RrProcess.run(workDir, null, "--data-dir", other.toString(), "--stage", "dev", "topics");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errors()).isEqualTo("error: " + other.resolve("dev.db")
                + " is not an rr database (it belongs to another program); use another --data-dir or --stage\n");
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + other.resolve("dev.db"));
             Statement statement = db.createStatement();
             ResultSet tables = statement.executeQuery("SELECT group_concat(name) FROM sqlite_schema WHERE type = 'table'")) {
            assertThat(tables.getString(1)).isEqualTo("notes");
        }
    }

    /** A real full disk: a small tmpfs, filled up. Mounting needs root, as CI has; elsewhere this is skipped. */
    @Test
    void onAFullDiskSendsFailClearlyAndRiversStillDrain() throws Exception {
        Path mount = Files.createDirectories(workDir.resolve("small"));
        Needed.assume(bash("mount -t tmpfs -o size=12m tmpfs " + mount + " && echo mounted").out().contains("mounted"),
                "mounting a small tmpfs needs root");
        try {
            Path data = mount.resolve("data");
            StringBuilder script = new StringBuilder("subscribe r1 X\n");
            for (int i = 0; i < 20; i++) {
                script.append("send X S '{\"n\":").append(i).append("}'\n");
            }
            RrProcess.Result before = RrProcess.run(workDir, script.toString(), "--data-dir", data.toString(), "--stage", "dev");
            assertThat(before.exitCode()).isZero();
            bash("dd if=/dev/zero of=" + mount.resolve("filler") + " bs=64k 2>/dev/null; sync");
            RrProcess.Result whenFull = RrProcess.run(workDir, null, "--data-dir", data.toString(), "--stage", "dev",
                    "send", "X", "S", "{\"more\":\"" + "y".repeat(4000) + "\"}");
            assertThat(whenFull.exitCode()).isEqualTo(1);
            assertThat(whenFull.errors()).contains("the disk is full; free some space (readfrom still drains rivers");

            int sent = 20;
            List<String> drained = new ArrayList<>();
            for (int round = 0; round < 100 && drained.size() < sent; round++) {
                RrProcess.Result read = RrProcess.run(workDir, null, "--data-dir", data.toString(), "--stage", "dev",
                        "--json", "readfrom", "--wait", "0", "r1");
                assertThat(read.exitCode()).as(read.stderr()).isZero();
                List<String> ids = eventIds(read.stdout());
                if (ids.isEmpty()) {
                    break;
                }
                drained.addAll(ids);
            }
            assertThat(drained).hasSize(sent).doesNotHaveDuplicates();
        } finally {
            bash("umount " + mount);
        }
    }

    @Test
    void aCommandMayGoOnOverSeveralLinesOfAScript() {
        RrProcess.Result result = RrProcess.run(workDir, "send X S \\\n  '{\"a\":\n1}'\nreadfrom r1\n", "--stage", "dev", "--json");

        assertThat(result.exitCode()).isZero();
        assertThat(result.stdout()).contains("\"payload\":{\"a\":1}");

        RrProcess.Result open = RrProcess.run(workDir, "send X S '{\"a\":1}\n", "--stage", "dev");
        assertThat(open.exitCode()).isEqualTo(2);
        assertThat(open.errors()).isEqualTo("error: the script ends in the middle of a command (an open quote or a"
                + " trailing \\) that began with: send X S '{\"a\":1}\n");
    }

    @Test
    void helpInTheShellListsEveryCommand() {
        assertThat(RrProcess.run(workDir, "help\n", "--stage", "dev").stdout())
                .contains("  bench", "  provision", "  readfrom <river>", "  exit");
    }

    @Test
    void smallerEdgesAreOneClearLineEach() {
        assertThat(rr("topics", "--stage", "x").errors()).isEqualTo("error: '--stage' is a global option: put it before"
                + " the command when starting rr, as in rr --stage <stage> topics ...\n");
        assertThat(rr("fo\u001bo").errors()).isEqualTo("error: unknown command 'fo\\u001bo', try help\n");
        assertThat(RrProcess.run(workDir, null, "--data-dir", "", "topics").errors())
                .isEqualTo("error: --data-dir is empty: name a directory, e.g. --data-dir .rapids\n");
        assertThat(rr("send", "X", "S", "{\"a\":NaN}").errors()).isEqualTo(
                "error: invalid data: malformed JSON: Non-standard token 'NaN' at line 1, column 9"
                        + " (data must be JSON, e.g. '{\"name\":\"Sally\"}')\n");
    }

    private RrProcess.Result rr(String... args) {
        List<String> all = new ArrayList<>(List.of("--stage", "dev"));
        all.addAll(List.of(args));
        if (args.length > 0 && args[0].startsWith("--")) {
            all = new ArrayList<>(List.of(args));
            all.addAll(0, List.of("--stage", "dev"));
        }
        return RrProcess.run(workDir, null, all.toArray(String[]::new));
    }

    private int messagesIn(String queue) throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + workDir.resolve(".rapids/dev.db"));
             Statement statement = db.createStatement();
             ResultSet count = statement.executeQuery("SELECT count(*) FROM messages WHERE queue = '" + queue + "'")) {
            return count.getInt(1);
        }
    }

    private static List<String> eventIds(String output) {
        List<String> ids = new ArrayList<>();
        Matcher matcher = EVENT_ID.matcher(output);
        while (matcher.find()) {
            ids.add(matcher.group(1));
        }
        return ids;
    }

    private static String permissions(Path path) {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String launcher() {
        return RrProcess.launcher().toString();
    }

    private Shell bash(String command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("bash", "-c", command).directory(workDir.toFile()).start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Shell(new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8)
                .replace("stage not specified - default to dev\n", ""));
    }

    private record Shell(String out, String err) {
    }
}
