import Testing
@testable import Kubectl
import ClusterModel

struct TextTests {
    @Test(arguments: [
        (-5000, "<invalid>"), (-1000, "0s"), (0, "0s"), (59_000, "59s"), (119_999, "119s"), (120_000, "2m"),
        (150_000, "2m30s"), (599_000, "9m59s"), (600_000, "10m"), (179 * 60_000, "179m"), (180 * 60_000, "3h"),
        (190 * 60_000, "3h10m"), (479 * 60_000, "7h59m"), (8 * 3_600_000, "8h"), (47 * 3_600_000, "47h"),
        (48 * 3_600_000, "2d"), (76 * 3_600_000, "3d4h"), (8 * 86_400_000, "8d"), (729 * 86_400_000, "729d"),
        (730 * 86_400_000, "2y"), (731 * 86_400_000, "2y1d"), (8 * 365 * 86_400_000, "8y"),
    ] as [(Int64, String)])
    func humanDurations(_ ms: Int64, _ expected: String) {
        #expect(humanDuration(millis: ms) == expected)
    }

    @Test func tabWriterPadsToThreeAndAtLeastSix() {
        var tw = TabWriter()
        #expect(tw.format("NAME\tAGE\na\t5m\n") == "NAME   AGE\na      5m\n")
        #expect(tw.format("NAME\tENDPOINTS\tAGE\nnot-ready\t\t5m\n") == "NAME        ENDPOINTS   AGE\nnot-ready               5m\n")
        var describe = TabWriter(minWidth: 0, padding: 2)
        #expect(describe.format("Name:\tmy-app\nInternal Traffic Policy:\tCluster\nEvents:\n") == "Name:                     my-app\nInternal Traffic Policy:  Cluster\nEvents:\n")
    }

    /// A get table from its one buffer: widths in runes (Go pads by rune count, so "→" is one
    /// column), empty cells padded, the last column never, and a row made of Strings reads back.
    @Test func aCellTableFormatsAsTabwriterDoes() {
        var table = CellTable(columns: 3)
        table.append(row: ["NAME", "NOTE", "AGE"])
        table.append(row: ["pod→a", "", "5m"])
        table.append(row: ["b", "long note", "10d"])
        #expect(table.rowCount == 3)
        #expect(table.widths == [5, 9, 3])
        #expect(table.row(1) == ["pod→a", "", "5m"])
        let text = TabWriter().format(table: table)
        #expect(text == "NAME    NOTE        AGE\npod→a               5m\nb       long note   10d\n")
        var tw = TabWriter()
        #expect(tw.format("NAME\tNOTE\tAGE\npod→a\t\t5m\nb\tlong note\t10d\n") == text)
        #expect(TabWriter().format(table: CellTable(columns: 3)) == "")
    }

    @Test func rememberedWidthsOnlyGrow() {
        var tw = TabWriter(rememberWidths: true)
        #expect(tw.format("NAME\tENDPOINTS\nmy-app\t10.0.0.1:80\n") == "NAME     ENDPOINTS\nmy-app   10.0.0.1:80\n")
        #expect(tw.format("a\tb\n") == "a        b\n")
    }

    @Test func shellLines() throws {
        #expect(try ShellLine.parse("kubectl get pods --show-labels | grep my-app") == ShellLine(stages: [["kubectl", "get", "pods", "--show-labels"], ["grep", "my-app"]], heredoc: nil))
        #expect(try ShellLine.parse("kubectl get pods -l 'app in (a, b)'").stages == [["kubectl", "get", "pods", "-l", "app in (a, b)"]])
        #expect(try ShellLine.parse("kubectl apply -f - <<EOF").heredoc == "EOF")
        #expect(try ShellLine.parse("kubectl apply -f - <<'YAML'").heredoc == "YAML")
        #expect(try ShellLine.parse("  # just a comment").stages == [])
        #expect(try ShellLine.parse("echo \"a b\" c\\ d").stages == [["echo", "a b", "c d"]])
        #expect(throws: ShellLine.SyntaxError.self) { try ShellLine.parse("echo 'open") }
        #expect(throws: ShellLine.SyntaxError.self) { try ShellLine.parse("| grep x") }
    }

    @Test func sleepDurations() {
        #expect(Durations.parseSleep("5") == 5)
        #expect(Durations.parseSleep("60s") == 60)
        #expect(Durations.parseSleep("2m") == 120)
        #expect(Durations.parseSleep("1m30s") == 90)
        #expect(Durations.parseSleep("500ms") == 0.5)
        #expect(Durations.parseSleep("1h") == 3600)
        #expect(Durations.parseSleep("soon") == nil)
    }

    @Test func sameSeedSameTranscript() {
        let script = "kubectl scale deployment my-app --replicas=6\nsleep 20\nkubectl get pods -o wide\nkubectl get endpointslices"
        #expect(session(seed: 3).transcript(script) == session(seed: 3).transcript(script))
        #expect(session(seed: 3).transcript(script) != session(seed: 4).transcript(script))
    }
}

/// Tables as data: each kind's columns with their priorities, as the server describes them
/// (kubectl shows priority 1 only with -o wide; `svclab serve` will return them as metav1.Table).
struct TableColumnTests {
    @Test func podAndServiceColumnsCarryTheirPriorities() {
        let pods = TableConvertor.columns(for: Pod.resourceDescription)
        #expect(pods.map(\.name) == ["NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED NODE", "READINESS GATES"])
        #expect(pods.map(\.priority) == [0, 0, 0, 0, 0, 1, 1, 1, 1])
        #expect(pods.first?.format == "name" && pods[3].type == "integer")
        let services = TableConvertor.columns(for: Service.resourceDescription)
        #expect(services.filter { $0.priority == 1 }.map(\.name) == ["SELECTOR"])
        // A stored kind's columns come from its registry entry.
        #expect(TableConvertor.columns(for: ConfigMapKind.description).map(\.name) == ["NAME", "DATA", "AGE"])
    }
}
