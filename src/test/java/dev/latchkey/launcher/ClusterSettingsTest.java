package dev.latchkey.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ClusterSettingsTest {

    private static final String POSTGRES = "jdbc:postgresql://db.internal:5432/latchkey?password=not-to-be-printed";
    private static final String THREE = "127.0.0.1:5901,127.0.0.1:5902,127.0.0.1:5903";
    private static final Path PRE_BOOT = Path.of("/tmp/pre-boot.asadmin");
    private static final String PRE_BOOT_LINE = "set hazelcast-runtime-configuration.auto-increment-port=false";

    private final Map<String, String> settings = new HashMap<>();

    // --- without LATCHKEY_CLUSTER_MEMBERS: alone, never multicasting, no cluster port

    @Test
    void withoutMembersTheNodeRunsWithoutHazelcast() throws Exception {
        ClusterSettings.Plan plan = plan("--port", "8081");
        assertFalse(plan.clustered());
        assertEquals(List.of("--port", "8081", "--nohazelcast"), plan.arguments(PRE_BOOT));
        assertEquals(List.of(), plan.preBootCommands());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t"})
    void blankMembersIsUnset(String members) throws Exception {
        settings.put("LATCHKEY_CLUSTER_MEMBERS", members);
        assertEquals(List.of("--nohazelcast"), plan().arguments(PRE_BOOT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"--nocluster", "--noCluster", "--NOCLUSTER", "--noHazelcast", "--nohazelcast"})
    void theUsersOwnNoClusterOrNoHazelcastIsKeptAlone(String flag) throws Exception {
        assertEquals(List.of("--port", "9090", flag), plan("--port", "9090", flag).arguments(PRE_BOOT));
    }

    @Test
    void otherPayaraClusterFlagsAloneStillGetNoHazelcast() throws Exception {
        assertEquals(List.of("--startport", "6000", "--clustername", "x", "--nohazelcast"),
                plan("--startport", "6000", "--clustername", "x").arguments(PRE_BOOT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"--clustermode", "--hzconfigfile", "--clusterMode", "--hzConfigFile"})
    void payarasOwnClusteringIsPassedThroughOnPostgres(String flag) throws Exception {
        settings.put("LATCHKEY_DB_URL", POSTGRES);
        ClusterSettings.Plan plan = plan(flag, "dns:latchkey.internal:5900");
        assertFalse(plan.clustered());
        assertTrue(plan.payaraClusters(), "Latchkey keeps revocations exact across Payara's own cluster too");
        assertEquals(List.of(flag, "dns:latchkey.internal:5900"), plan.arguments(PRE_BOOT));
    }

    @Test
    void onlyClusteringMakesPayaraCluster() throws Exception {
        assertFalse(plan("--port", "8080").payaraClusters());
        assertFalse(plan("--startport", "6000").payaraClusters());
        settings.put("LATCHKEY_DB_URL", POSTGRES);
        settings.put("LATCHKEY_CLUSTER_MEMBERS", "127.0.0.1:5901,127.0.0.1:5902");
        assertTrue(plan("--port", "8080").payaraClusters());
    }

    @ParameterizedTest
    @CsvSource({"--clustermode,", "--hzconfigfile,", "--clusterMode,jdbc:h2:file:./data/latchkey",
            "--clustermode,jdbc:H2:mem:x"})
    void payarasOwnClusteringNeedsPostgresToo(String flag, String url) {
        if (url != null) {
            settings.put("LATCHKEY_DB_URL", url);
        }
        assertRefused(flag.toLowerCase() + " asks Payara Micro to cluster, and clustering needs PostgreSQL:"
                + " set LATCHKEY_DB_URL to a jdbc:postgresql: URL", flag, "kubernetes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"LATCHKEY_CLUSTER_PORT", "LATCHKEY_CLUSTER_NAME", "LATCHKEY_CLUSTER_INTERFACE"})
    void payarasOwnClusteringTakesNoLatchkeyClusterVariable(String variable) {
        settings.put("LATCHKEY_DB_URL", POSTGRES);
        settings.put(variable, Map.of("LATCHKEY_CLUSTER_PORT", "5901", "LATCHKEY_CLUSTER_NAME", "prod",
                "LATCHKEY_CLUSTER_INTERFACE", "10.0.0.5").get(variable));
        assertRefused(variable + " only applies with LATCHKEY_CLUSTER_MEMBERS; with --clustermode use Payara Micro's"
                + " own flags (--startport, --clustername, --interfaces)", "--clusterMode", "kubernetes");
    }

    @Test
    void withoutMembersTheOtherVariablesChangeNothing() throws Exception {
        settings.putAll(Map.of("LATCHKEY_CLUSTER_PORT", "6000", "LATCHKEY_CLUSTER_NAME", "prod",
                "LATCHKEY_CLUSTER_INTERFACE", "10.0.0.5"));
        assertEquals(List.of("--port", "8080", "--nohazelcast"), plan("--port", "8080").arguments(PRE_BOOT));
    }

    @Test
    void otherSettingsAreCheckedEvenWithoutMembers() {
        settings.put("LATCHKEY_CLUSTER_PORT", "59o1");
        assertRefused("LATCHKEY_CLUSTER_PORT: \"59o1\" is not a port number from 1 to 65535");
    }

    @Test
    void theUsersPreBootFileIsPassedOnAlone() throws Exception {
        ClusterSettings.Plan plan = plan("--prebootcommandfile", "mine.asadmin", "--port", "8082");
        assertEquals(List.of(), plan.preBootCommands());
        assertEquals(List.of("--port", "8082", "--nohazelcast", "--prebootcommandfile", "mine.asadmin"),
                plan.arguments(PRE_BOOT));
    }

    // --- LATCHKEY_BIND_ADDRESS: the HTTP listener's one address, through pre-boot commands

    @Test
    void theBindAddressBindsBothHttpListeners() throws Exception {
        settings.put("LATCHKEY_BIND_ADDRESS", "127.0.0.1");
        ClusterSettings.Plan plan = plan("--port", "8081");
        assertEquals("127.0.0.1", plan.httpAddress().orElseThrow());
        assertEquals(List.of(
                "set configs.config.server-config.network-config.network-listeners.network-listener.http-listener.address=127.0.0.1",
                "set configs.config.server-config.network-config.network-listeners.network-listener.https-listener.address=127.0.0.1"),
                plan.preBootCommands());
        assertEquals(List.of("--port", "8081", "--nohazelcast", "--prebootcommandfile", "/tmp/pre-boot.asadmin"),
                plan.arguments(PRE_BOOT));
    }

    @Test
    void theBindAddressJoinsTheClustersPreBootCommandsAndTheUsersFile() throws Exception {
        settings.putAll(Map.of("LATCHKEY_CLUSTER_MEMBERS", THREE, "LATCHKEY_DB_URL", POSTGRES,
                "LATCHKEY_BIND_ADDRESS", " 10.0.0.5 "));
        ClusterSettings.Plan plan = plan("--prebootcommandfile", "mine.asadmin");
        assertEquals(List.of(PRE_BOOT_LINE,
                "set configs.config.server-config.network-config.network-listeners.network-listener.http-listener.address=10.0.0.5",
                "set configs.config.server-config.network-config.network-listeners.network-listener.https-listener.address=10.0.0.5"),
                plan.preBootCommands());
        assertEquals("mine.asadmin", plan.userPreBootFile().orElseThrow());
        assertEquals("/tmp/pre-boot.asadmin", plan.arguments(PRE_BOOT).get(plan.arguments(PRE_BOOT).size() - 1));
    }

    @Test
    void withoutABindAddressNoListenerIsTouched() throws Exception {
        settings.put("LATCHKEY_BIND_ADDRESS", " ");
        assertTrue(plan().httpAddress().isEmpty());
        assertEquals(List.of(), plan().preBootCommands());
    }

    @Test
    void aBindAddressOfAnotherMachineIsRefused() {
        settings.put("LATCHKEY_BIND_ADDRESS", "10.0.0.6");
        assertRefused("LATCHKEY_BIND_ADDRESS: 10.0.0.6 is not an address of this machine", "--port", "8080");
    }

    // --- with LATCHKEY_CLUSTER_MEMBERS: the exact Payara arguments

    @Test
    void theThreeNodeExample() throws Exception {
        settings.putAll(Map.of("LATCHKEY_CLUSTER_MEMBERS", THREE, "LATCHKEY_CLUSTER_PORT", "5901",
                "LATCHKEY_DB_URL", POSTGRES));
        ClusterSettings.Plan plan = plan("--port", "8081");
        assertTrue(plan.clustered());
        assertEquals(5901, plan.port());
        assertEquals(List.of("--port", "8081",
                "--clustermode", "tcpip:127.0.0.1:5901,127.0.0.1:5902,127.0.0.1:5903",
                "--clustername", "latchkey",
                "--startport", "5901",
                "--prebootcommandfile", "/tmp/pre-boot.asadmin"), plan.arguments(PRE_BOOT));
        assertEquals(List.of(PRE_BOOT_LINE), plan.preBootCommands());
    }

    @Test
    void defaultsArePort5900AndNameLatchkey() throws Exception {
        settings.putAll(Map.of("LATCHKEY_CLUSTER_MEMBERS", "node-a.internal:5900,node-b.internal:5900",
                "LATCHKEY_DB_URL", POSTGRES));
        assertEquals(List.of("--clustermode", "tcpip:node-a.internal:5900,node-b.internal:5900",
                "--clustername", "latchkey", "--startport", "5900",
                "--prebootcommandfile", "/tmp/pre-boot.asadmin"), plan().arguments(PRE_BOOT));
    }

    @Test
    void everySettingAndSpacesAroundEntries() throws Exception {
        settings.putAll(Map.of("LATCHKEY_CLUSTER_MEMBERS", " 10.0.0.5:6000 , 10.0.0.6:6000,[fd00::7]:6000 ",
                "LATCHKEY_CLUSTER_PORT", "6000", "LATCHKEY_CLUSTER_NAME", "prod.eu-1_a",
                "LATCHKEY_CLUSTER_INTERFACE", "10.0.0.5", "LATCHKEY_DB_URL", "JDBC:PostgreSQL://db/latchkey"));
        ClusterSettings.Plan plan = plan("--port", "8080");
        assertEquals(List.of("--port", "8080",
                "--clustermode", "tcpip:10.0.0.5:6000,10.0.0.6:6000,[fd00::7]:6000",
                "--clustername", "prod.eu-1_a",
                "--startport", "6000",
                "--interfaces", "10.0.0.5", "--hzPublicAddress", "10.0.0.5",
                "--prebootcommandfile", "/tmp/pre-boot.asadmin"), plan.arguments(PRE_BOOT));
        assertEquals("10.0.0.5", plan.bindAddress().orElseThrow());
    }

    @Test
    void theUsersPreBootFileIsMergedNotRepeated(@TempDir Path dir) throws Exception {
        settings.putAll(Map.of("LATCHKEY_CLUSTER_MEMBERS", THREE, "LATCHKEY_DB_URL", POSTGRES));
        Path mine = dir.resolve("mine.asadmin");
        List<String> users = List.of("set configs.config.server-config.admin-service.das-config.autodeploy-enabled=false",
                "# the user's comment", "set-hazelcast-configuration --clusterName=theirs");
        Files.write(mine, users, StandardCharsets.UTF_8);
        ClusterSettings.Plan plan = plan("--prebootcommandfile", mine.toString(), "--port", "8082");
        assertEquals(mine.toString(), plan.userPreBootFile().orElseThrow());
        assertEquals(List.of("--port", "8082", "--clustermode", "tcpip:" + THREE, "--clustername", "latchkey",
                "--startport", "5900", "--prebootcommandfile", "/tmp/pre-boot.asadmin"), plan.arguments(PRE_BOOT));

        // merged: the one file Payara gets holds Latchkey's commands, then every line of the user's, in order
        Method preBootFile = Launcher.class.getDeclaredMethod("preBootFile", ClusterSettings.Plan.class);
        preBootFile.setAccessible(true);
        Path merged = (Path) preBootFile.invoke(null, plan);
        try {
            List<String> expected = new ArrayList<>(plan.preBootCommands());
            assertFalse(expected.isEmpty());
            expected.addAll(users);
            assertEquals(expected, Files.readAllLines(merged, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(merged);
        }
    }

    @Test
    void aSingleMemberAndOneLabelHostsAreFine() throws Exception {
        settings.putAll(Map.of("LATCHKEY_CLUSTER_MEMBERS", "localhost:1,x:65535", "LATCHKEY_DB_URL", POSTGRES));
        assertEquals("tcpip:localhost:1,x:65535", plan().arguments(PRE_BOOT).get(1));
    }

    // --- refusals: the exact line

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "127.0.0.1:5901,,127.0.0.1:5903 | LATCHKEY_CLUSTER_MEMBERS: entry 2 is empty (write host:port,host:port)",
        "127.0.0.1:5901,                | LATCHKEY_CLUSTER_MEMBERS: entry 2 is empty (write host:port,host:port)",
        "',127.0.0.1:5901'              | LATCHKEY_CLUSTER_MEMBERS: entry 1 is empty (write host:port,host:port)",
        "127.0.0.1                      | LATCHKEY_CLUSTER_MEMBERS: entry 1 \"127.0.0.1\" has no port (write host:port)",
        "a:1,node-b                     | LATCHKEY_CLUSTER_MEMBERS: entry 2 \"node-b\" has no port (write host:port)",
        "node-b:                        | LATCHKEY_CLUSTER_MEMBERS: entry 1 \"node-b:\" has no port (write host:port)",
        "[::1]                          | LATCHKEY_CLUSTER_MEMBERS: entry 1 \"[::1]\" has no port (write host:port)",
        "node-b:0                       | LATCHKEY_CLUSTER_MEMBERS: entry 1 \"node-b:0\" has a port that is not a number from 1 to 65535",
        "node-b:65536                   | LATCHKEY_CLUSTER_MEMBERS: entry 1 \"node-b:65536\" has a port that is not a number from 1 to 65535",
        "node-b:-1                      | LATCHKEY_CLUSTER_MEMBERS: entry 1 \"node-b:-1\" has a port that is not a number from 1 to 65535",
        "node-b:59o1                    | LATCHKEY_CLUSTER_MEMBERS: entry 1 \"node-b:59o1\" has a port that is not a number from 1 to 65535",
        "node-b:123456                  | LATCHKEY_CLUSTER_MEMBERS: entry 1 \"node-b:123456\" has a port that is not a number from 1 to 65535",
        ":5901                          | LATCHKEY_CLUSTER_MEMBERS: entry 1 \":5901\" does not start with a hostname, an IPv4 address or an [IPv6] literal",
        "node_b:5901                    | LATCHKEY_CLUSTER_MEMBERS: entry 1 \"node_b:5901\" does not start with a hostname, an IPv4 address or an [IPv6] literal",
        "-node:5901                     | LATCHKEY_CLUSTER_MEMBERS: entry 1 \"-node:5901\" does not start with a hostname, an IPv4 address or an [IPv6] literal",
        "node..b:5901                   | LATCHKEY_CLUSTER_MEMBERS: entry 1 \"node..b:5901\" does not start with a hostname, an IPv4 address or an [IPv6] literal",
        "256.0.0.1:5901                 | LATCHKEY_CLUSTER_MEMBERS: entry 1 \"256.0.0.1:5901\" does not start with a hostname, an IPv4 address or an [IPv6] literal",
        "10.0.0:5901                    | LATCHKEY_CLUSTER_MEMBERS: entry 1 \"10.0.0:5901\" does not start with a hostname, an IPv4 address or an [IPv6] literal",
        "::1:5901                       | LATCHKEY_CLUSTER_MEMBERS: entry 1 \"::1:5901\" does not start with a hostname, an IPv4 address or an [IPv6] literal",
        "[::g]:5901                     | LATCHKEY_CLUSTER_MEMBERS: entry 1 \"[::g]:5901\" does not start with a hostname, an IPv4 address or an [IPv6] literal",
        "[1:2:3:4:5:6:7:8:9]:5901       | LATCHKEY_CLUSTER_MEMBERS: entry 1 \"[1:2:3:4:5:6:7:8:9]:5901\" does not start with a hostname, an IPv4 address or an [IPv6] literal",
        "[10.0.0.1]:5901                | LATCHKEY_CLUSTER_MEMBERS: entry 1 \"[10.0.0.1]:5901\" does not start with a hostname, an IPv4 address or an [IPv6] literal",
        "http://node-b:5901             | LATCHKEY_CLUSTER_MEMBERS: entry 1 \"http://node-b:5901\" does not start with a hostname, an IPv4 address or an [IPv6] literal",
        "node b:5901                    | LATCHKEY_CLUSTER_MEMBERS: entry 1 \"node b:5901\" does not start with a hostname, an IPv4 address or an [IPv6] literal",
        "a:1,b:2,a:1                    | LATCHKEY_CLUSTER_MEMBERS: entry 3 \"a:1\" repeats entry 1",
        "Node-A:1,node-a:1              | LATCHKEY_CLUSTER_MEMBERS: entry 2 \"node-a:1\" repeats entry 1",
        "a:1, a:1                       | LATCHKEY_CLUSTER_MEMBERS: entry 2 \"a:1\" repeats entry 1",
    })
    void malformedMembers(String members, String line) {
        settings.putAll(Map.of("LATCHKEY_CLUSTER_MEMBERS", members, "LATCHKEY_DB_URL", POSTGRES));
        assertRefused(line);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''     | LATCHKEY_CLUSTER_PORT: \"\" is not a port number from 1 to 65535",
        "0      | LATCHKEY_CLUSTER_PORT: \"0\" is not a port number from 1 to 65535",
        "65536  | LATCHKEY_CLUSTER_PORT: \"65536\" is not a port number from 1 to 65535",
        "+5901  | LATCHKEY_CLUSTER_PORT: \"+5901\" is not a port number from 1 to 65535",
        "' 5901'| LATCHKEY_CLUSTER_PORT: \" 5901\" is not a port number from 1 to 65535",
        "5901.0 | LATCHKEY_CLUSTER_PORT: \"5901.0\" is not a port number from 1 to 65535",
    })
    void malformedPort(String port, String line) {
        settings.putAll(Map.of("LATCHKEY_CLUSTER_MEMBERS", THREE, "LATCHKEY_CLUSTER_PORT", port,
                "LATCHKEY_DB_URL", POSTGRES));
        assertRefused(line);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''          | LATCHKEY_CLUSTER_NAME: \"\" is not a cluster name (1 to 64 letters, digits, '.', '_' or '-')",
        "my cluster  | LATCHKEY_CLUSTER_NAME: \"my cluster\" is not a cluster name (1 to 64 letters, digits, '.', '_' or '-')",
        "a/b         | LATCHKEY_CLUSTER_NAME: \"a/b\" is not a cluster name (1 to 64 letters, digits, '.', '_' or '-')",
        "x12345678901234567890123456789012345678901234567890123456789012345 | LATCHKEY_CLUSTER_NAME: \"x12345678901234567890123456789012345678901234567890123456789012345\" is not a cluster name (1 to 64 letters, digits, '.', '_' or '-')",
    })
    void malformedName(String name, String line) {
        settings.putAll(Map.of("LATCHKEY_CLUSTER_MEMBERS", THREE, "LATCHKEY_CLUSTER_NAME", name,
                "LATCHKEY_DB_URL", POSTGRES));
        assertRefused(line);
    }

    @Test
    void aNameLineStaysOneLine() {
        settings.putAll(Map.of("LATCHKEY_CLUSTER_MEMBERS", THREE, "LATCHKEY_CLUSTER_NAME", "a\nb",
                "LATCHKEY_DB_URL", POSTGRES));
        assertRefused("LATCHKEY_CLUSTER_NAME: \"a?b\" is not a cluster name (1 to 64 letters, digits, '.', '_' or '-')");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''             | LATCHKEY_CLUSTER_INTERFACE: \"\" is not an IPv4 address such as 10.0.0.5",
        "eth0           | LATCHKEY_CLUSTER_INTERFACE: \"eth0\" is not an IPv4 address such as 10.0.0.5",
        "10.0.0.*       | LATCHKEY_CLUSTER_INTERFACE: \"10.0.0.*\" is not an IPv4 address such as 10.0.0.5",
        "10.0.0.256     | LATCHKEY_CLUSTER_INTERFACE: \"10.0.0.256\" is not an IPv4 address such as 10.0.0.5",
        "localhost      | LATCHKEY_CLUSTER_INTERFACE: \"localhost\" is not an IPv4 address such as 10.0.0.5",
        "::1            | LATCHKEY_CLUSTER_INTERFACE: \"::1\" is not an IPv4 address such as 10.0.0.5",
        "192.0.2.1      | LATCHKEY_CLUSTER_INTERFACE: 192.0.2.1 is not an address of this machine",
    })
    void malformedInterface(String address, String line) {
        settings.putAll(Map.of("LATCHKEY_CLUSTER_MEMBERS", THREE, "LATCHKEY_CLUSTER_INTERFACE", address,
                "LATCHKEY_DB_URL", POSTGRES));
        assertRefused(line);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "jdbc:h2:file:./data/latchkey", "JDBC:H2:mem:x", "jdbc:mysql://db/x"})
    void membersNeedPostgres(String url) {
        settings.put("LATCHKEY_CLUSTER_MEMBERS", THREE);
        settings.put("LATCHKEY_DB_URL", url);
        assertRefused("LATCHKEY_CLUSTER_MEMBERS is set, so clustering needs PostgreSQL:"
                + " set LATCHKEY_DB_URL to a jdbc:postgresql: URL");
    }

    @Test
    void membersWithoutAnyDatabaseUrlNeedPostgres() {
        settings.put("LATCHKEY_CLUSTER_MEMBERS", THREE);
        ClusterSettings.Refusal refusal = assertThrows(ClusterSettings.Refusal.class, this::plan);
        assertEquals("LATCHKEY_CLUSTER_MEMBERS is set, so clustering needs PostgreSQL:"
                + " set LATCHKEY_DB_URL to a jdbc:postgresql: URL", refusal.getMessage());
    }

    @Test
    void theDatabaseUrlIsNeverPrinted() {
        settings.put("LATCHKEY_CLUSTER_MEMBERS", THREE);
        settings.put("LATCHKEY_DB_URL", "jdbc:h2:tcp://db/x;PASSWORD=hunter2");
        ClusterSettings.Refusal refusal = assertThrows(ClusterSettings.Refusal.class, this::plan);
        assertFalse(refusal.getMessage().contains("hunter2"), refusal.getMessage());
        assertFalse(refusal.getMessage().contains("tcp://"), refusal.getMessage());
    }

    @ParameterizedTest
    @CsvSource({"--clustermode,--clustermode", "--clusterName,--clustername", "--interfaces,--interfaces",
            "--hzPublicAddress,--hzpublicaddress", "--startport,--startport", "--noCluster,--nocluster",
            "--noHazelcast,--nohazelcast",
            "--hzconfigfile,--hzconfigfile"})
    void payaraClusterFlagsWithMembersAreAmbiguous(String flag, String named) {
        settings.putAll(Map.of("LATCHKEY_CLUSTER_MEMBERS", THREE, "LATCHKEY_DB_URL", POSTGRES));
        assertRefused("LATCHKEY_CLUSTER_MEMBERS is set and the command line also has " + named
                + ": configure clustering in one place only", "--port", "8081", flag, "x");
    }

    @Test
    void twoPreBootFilesAreAmbiguous() {
        settings.putAll(Map.of("LATCHKEY_CLUSTER_MEMBERS", THREE, "LATCHKEY_DB_URL", POSTGRES));
        assertRefused("the command line has --prebootcommandfile twice",
                "--prebootcommandfile", "a", "--prebootcommandfile", "b");
    }

    @Test
    void membersAreCheckedBeforeTheDatabase() {
        settings.put("LATCHKEY_CLUSTER_MEMBERS", "a:1,,b:2");
        assertRefused("LATCHKEY_CLUSTER_MEMBERS: entry 2 is empty (write host:port,host:port)");
    }

    private ClusterSettings.Plan plan(String... args) throws ClusterSettings.Refusal {
        return ClusterSettings.plan(List.of(args), settings::get, ClusterSettingsTest::local);
    }

    /** This test's machine: loopback, 10.0.0.5 and nothing else. */
    private static boolean local(InetAddress address) {
        return address.isLoopbackAddress() || "10.0.0.5".equals(address.getHostAddress());
    }

    private void assertRefused(String line, String... args) {
        ClusterSettings.Refusal refusal = assertThrows(ClusterSettings.Refusal.class, () -> plan(args));
        assertEquals(line, refusal.getMessage());
        assertFalse(refusal.getMessage().contains("\n"));
    }
}
