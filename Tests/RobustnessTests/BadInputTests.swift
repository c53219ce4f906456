import ClusterEngine
import ClusterModel
import Foundation
import Scenario
import Testing
@testable import Kubectl

/// Issue 13, by class: every test here fails (or traps the test process) on the code before it.
@Suite(.serialized)
struct BadInputTests {
    /// A temporary folder with a lesson folder and an outside folder beside it.
    final class Sandbox {
        let root: String
        var lesson: String { root + "/lesson" }
        var outside: String { root + "/outside" }
        init() {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("svclab-bad-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
            try? FileManager.default.createDirectory(atPath: root + "/lesson/sub", withIntermediateDirectories: true)
            try? FileManager.default.createDirectory(atPath: root + "/outside", withIntermediateDirectories: true)
            write("outside/secret.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: secret-\u{7}}\nspec: {ports: [{port: 80}]}\n")
            write("lesson/svc.yaml", "apiVersion: v1\nkind: Service\nmetadata: {name: inside}\nspec: {ports: [{port: 80}]}\n")
            symlink("../outside/secret.yaml", root + "/lesson/link.yaml")
            symlink("../outside", root + "/lesson/linkdir")
        }
        deinit { try? FileManager.default.removeItem(atPath: root) }
        func write(_ rel: String, _ text: String) { FileManager.default.createFile(atPath: root + "/" + rel, contents: Data(text.utf8)) }
        func lessonFile(_ name: String, _ text: String) -> String { write("lesson/" + name, text); return lesson + "/" + name }
    }

    // MARK: Lesson files stay in their folder

    @Test func setupFileThroughASymbolicLinkIsRefused() {
        let box = Sandbox()
        for file in ["link.yaml", "linkdir/secret.yaml", "../outside/secret.yaml", box.outside + "/secret.yaml"] {
            let path = box.lessonFile("t.yaml", "title: t\nsetup:\n  - file: \(file)\n")
            #expect(throws: ScenarioError.self) { _ = try ScenarioParser.load(path: path) }
            do { _ = try ScenarioParser.load(path: path) } catch {
                #expect(error.message == "\(path):3:11: setup file \(goQuote(file)) must stay inside the scenario's folder")
            }
        }
        // A file inside (also through sub/..) is read.
        let ok = box.lessonFile("ok.yaml", "title: t\nsetup:\n  - file: sub/../svc.yaml\n")
        #expect((try? ScenarioParser.load(path: ok))?.setup.count == 1)
    }

    @Test func commandsInALessonReadOnlyInsideItsFolder() throws {
        let box = Sandbox()
        let lines = ["kubectl apply -f link.yaml", "kubectl apply -f linkdir", "kubectl apply -f linkdir/secret.yaml",
                     "kubectl apply -f ../outside/secret.yaml", "kubectl create -f=\(box.outside)/secret.yaml",
                     "kubectl patch svc my-app --patch-file ../outside/secret.yaml", "why -f /etc/hostname"]
        let steps = lines.map { "  - run: \($0)\n    exitCode: 1\n    contains: \"is outside the scenario's folder\"\n" }.joined()
        let path = box.lessonFile("t.yaml", "title: t\nsteps:\n" + steps + "  - run: kubectl apply -f svc.yaml\n    contains: service/inside created\n")
        let replay = try ScenarioRunner(try ScenarioParser.load(path: path)).replay()
        #expect(replay.failures == 0, "\(replay.transcript)")
        // Nothing of the outside file reached the output: not its name, not its control character.
        #expect(!replay.transcript.contains("secret-"))
        // The user's own shell reads what the user names, as kubectl does.
        let shell = Session.demo()
        shell.workingDirectory = box.lesson
        #expect(shell.runScript("kubectl apply -f link.yaml").combined == "service/secret-\\a created\n" || shell.runScript("kubectl get svc").exitCode == 0)
    }

    @Test func scenariosCheckReportsFilesOutsideTheFolder() {
        let box = Sandbox()
        let bad = box.lessonFile("bad.yaml", "title: t\nsteps:\n  - run: kubectl apply -f ../outside/secret.yaml\n  - challenge:\n      goal: g\n      done: {endpoints: x, ready: 1}\n      solution: [\"kubectl apply -f link.yaml\", \"kubectl apply -f missing.yaml\"]\n")
        #expect(ScenarioCheck.problems(path: bad) == [
            "\(bad):3:10: \"kubectl apply -f ../outside/secret.yaml\" reads \"../outside/secret.yaml\", which is outside the scenario's folder; a lesson may read only the files inside it",
            "\(bad):7:18: \"kubectl apply -f link.yaml\" reads \"link.yaml\", which is outside the scenario's folder; a lesson may read only the files inside it",
            "\(bad):7:48: \"kubectl apply -f missing.yaml\" reads \"missing.yaml\", which does not exist (paths are relative to the scenario)",
        ])
        let unknown = box.lessonFile("unknown.yaml", "title: t\nstep: []\n")
        #expect(ScenarioCheck.problems(path: unknown) == ["\(unknown):2:1: unknown key \"step\" in the scenario (expected one of: title, about, cluster, setup, steps)"])
        let good = box.lessonFile("good.yaml", "title: t\nsteps:\n  - run: kubectl apply -f svc.yaml\n  - run: |\n      kubectl apply -f - <<EOF\n      apiVersion: v1\n      EOF\n")
        #expect(ScenarioCheck.problems(path: good) == [])
        // Narration that would need scrolling within one step at 80×24 (21 rows in the full view).
        let long = box.lessonFile("long.yaml", "title: t\nsteps:\n  - say: hi\n  - say: |\n" + (1...22).map { "      line \($0)\n" }.joined()
            + "  - challenge:\n      goal: g\n      hints: [" + (1...10).map { "\"hint \($0) " + String(repeating: "word ", count: 20) + "\"" }.joined(separator: ", ") + "]\n      done: {endpoints: x, ready: 1}\n")
        #expect(ScenarioCheck.problems(path: long) == [
            "\(long):4:5: this say: text takes 22 lines at 80 columns; one screen shows 21: split it into two steps",
            "\(long):27:5: this challenge (goal, hints and solution) takes 23 lines at 80 columns; one screen shows 21: split it into two steps",
        ])
        // Every shipped lesson passes.
        let shipped = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../scenarios").standardized.path
        for f in (try? FileManager.default.contentsOfDirectory(atPath: shipped))?.filter({ $0.hasSuffix(".yaml") }) ?? [] {
            #expect(ScenarioCheck.problems(path: shipped + "/" + f) == [], "\(f)")
        }
    }

    @Test func recordingInlinesTheFilesItApplied() throws {
        let box = Sandbox()
        let session = Session.demo()
        session.workingDirectory = box.lesson
        let recorder = SessionRecorder(path: box.root + "/rec.yaml", options: .init(seed: 1, nodes: 3, empty: false), startTime: session.cluster.now)
        session.recorder = recorder
        _ = session.runScript("kubectl apply -f svc.yaml\nkubectl get svc inside - x\n")
        #expect(recorder.document.contains("kubectl apply -f - <<EOF\n    apiVersion: v1\n    kind: Service\n    metadata: {name: inside}"))
        #expect(!recorder.document.contains("svc.yaml"))
        // The recording replays from anywhere: it names no file.
        let moved = box.root + "/outside/rec.yaml"
        try recorder.document.write(toFile: moved, atomically: true, encoding: .utf8)
        let replay = try ScenarioRunner(try ScenarioParser.load(path: moved)).replay()
        #expect(replay.transcript.contains("service/inside created"))
    }

    // MARK: Work and memory stay bounded

    static func laughs(levels: Int, width: Int = 9, indent: String = "") -> String {
        var lines = ["\(indent)a0: &a0 [" + Array(repeating: "\"lol\"", count: width).joined(separator: ",") + "]"]
        for i in 1..<levels { lines.append("\(indent)a\(i): &a\(i) [" + Array(repeating: "*a\(i - 1)", count: width).joined(separator: ",") + "]") }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func aliasBombsAreRefusedAsGoRefusesThem() {
        let manifest = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n" + Self.laughs(levels: 12, indent: "  ")
        #expect(throws: DocumentSyntaxError("error converting YAML to JSON: yaml: document contains excessive aliasing")) {
            _ = try ValueLoader.documents(from: manifest)
        }
        // An alias (or a collection) as a key: hashing it would be exponential; refused first.
        var keyBomb = ["a0: &a0 {x: 1, y: 2}"]
        for i in 1..<40 { keyBomb.append("a\(i): &a\(i) {p: *a\(i - 1), q: *a\(i - 1)}") }
        keyBomb.append("z: {? *a39 : 1}")
        #expect(throws: DocumentSyntaxError("error converting YAML to JSON: yaml: line 41: invalid map key: an alias or collection used as a key")) {
            _ = try ValueLoader.documents(from: keyBomb.joined(separator: "\n"))
        }
        // Through the shell (apply from stdin and patch -p) and in a scenario.
        let session = Session.demo()
        let out = session.runScript("kubectl apply -f - <<EOF\n\(manifest)EOF\n")
        #expect(out.stderr == "error: error parsing STDIN: error converting YAML to JSON: yaml: document contains excessive aliasing\n")
        let patch = session.runScript("kubectl patch svc my-app -p '{spec: {x: &a [1,1,1,1,1,1,1,1,1,1]}}'")
        #expect(patch.exitCode != 0)
        do { _ = try ScenarioParser.parse("title: t\n" + Self.laughs(levels: 12), path: "t.yaml"); Issue.record("parsed") } catch {
            #expect(error.message == "t.yaml:1:1: document contains excessive aliasing")
        }
        // Moderate, legitimate aliasing still works (Go allows it too).
        #expect((try? ValueLoader.documents(from: "a: &x {k: v}\nb: *x\nc: *x\n"))?.count == 1)
    }

    @Test func aListingReadsOnlyTitles() throws {
        let box = Sandbox()
        _ = box.lessonFile("bomb.yaml", "title: Bomb\n" + Self.laughs(levels: 14))
        #expect(ScenarioParser.title(path: box.lesson + "/bomb.yaml") == "Bomb")
    }

    @Test func aHugeScaleAnswersAtOnceAndGrowsInBursts() {
        let session = Session.demo()
        let out = session.runScript("kubectl scale deployment my-app --replicas=100000000")
        #expect(out.combined == "deployment.apps/my-app scaled\n")
        // burstReplicas: 500 a sync, one sync a simulated second.
        func pods() -> Int { session.cluster.pods.list(namespace: "default").count }
        #expect(pods() <= 4 + 500)
        session.cluster.advance(bySeconds: 6)
        #expect(pods() <= 4 + 7 * 500)
        #expect(pods() >= 4 + 5 * 500)
        // Beyond int32: the server's words, nothing scaled.
        let over = session.runScript("kubectl scale deployment my-app --replicas=3000000000 --current-replicas=100000000")
        #expect(over.stderr == "The Scale \"my-app\" is invalid: spec.replicas: Invalid value: -1294967296: must be greater than or equal to 0\n")
        let patch = session.runScript("kubectl scale deployment my-app --replicas=3000000000")
        #expect(patch.stderr.hasPrefix("The request is invalid: patch: Invalid value: \"{\\\"apiVersion\\\":\\\"autoscaling/v1\\\",\\\"kind\\\":\\\"Scale\\\""))
        #expect(patch.stderr.hasSuffix("json: cannot unmarshal number 3000000000 into Go struct field ScaleSpec.spec.replicas of type int32\n"))
        #expect(session.runScript("kubectl scale deployment my-app --replicas=99999999999999999999").stderr
                == "error: invalid argument \"99999999999999999999\" for \"--replicas\" flag: strconv.ParseInt: parsing \"99999999999999999999\": value out of range\nSee 'kubectl scale --help' for usage.\n")
    }

    @Test func thePodCeilingHoldsThroughALongWait() {
        var config = Cluster.Config(seed: 1, workerNodes: 1)
        config.maxPods = 1_200
        let session = Session(cluster: Cluster.bootstrapped(config: config, settleSeconds: 60))
        _ = session.runScript("kubectl create deployment big --image=nginx --replicas=100000\nsleep 168h")
        #expect(session.cluster.pods.count <= 1_200)
        // Events live an hour: the next sync's refusal is fresh.
        _ = session.runScript("kubectl scale deployment big --replicas=100001\nsleep 2")
        #expect(session.runScript("kubectl get events").stdout.contains("svclab simulates at most 1200 pods"))
    }

    @Test func longLinesAndManyArgumentsCostLinearTime() {
        // 20,000 label arguments took 150 s (8,000: 24 s) through swift-argument-parser's
        // one-by-one removal; linear, 8,000 take well under a second.
        let session = Session.demo()
        let labels = (0..<8_000).map { "k\($0)=v" }.joined(separator: " ")
        let out = session.runScript("kubectl label pods my-pod \(labels) --overwrite")
        #expect(out.combined == "pod/my-pod labeled\n")
        #expect(session.cluster.pods.get("default", "my-pod")?.metadata.labels.count == 8_000 + 1)
        // Words that follow flags keep their place among the others.
        #expect(LongArguments.split((0..<70).map { "w\($0)" } + ["-l", "a=b", "--overwrite", "w70"]).merge(["-l-not", "w70"]).last == "w70")
        let names = (0..<5_000).map { "p\($0)" }.joined(separator: " ")
        #expect(session.runScript("kubectl get pods \(names) | wc -l").stdout == "0\n")
    }

    @Test func grepCannotBacktrackForEver() {
        let session = Session.demo()
        let evil = "long=(a|a)*(a|a)*(a|a)*(a|a)*(a|a)*(a|a)*(a|a)*(a|a)*(a|a)*(a|a)*(a|a)*(a|a)*!"
        _ = session.runScript("kubectl label pods my-pod long=\(String(repeating: "a", count: 60)) --overwrite")
        #expect(session.runScript("kubectl get pods --show-labels | grep -E '\(evil)' | wc -l").stdout == "0\n")
        #expect(session.runScript("kubectl get pods | grep '\\(a\\)\\1'").stderr == "grep: back-references (\\1) are not supported: they make matching time unbounded\n")
        #expect(session.runScript("kubectl get pods | grep -E '(a{1,100}){1,100}'").stderr == "grep: regular expression too big\n")
        // Stacked repetitions made glibc's regcomp use gigabytes (the scenario fuzzer found it).
        #expect(session.runScript("kubectl get pods | grep -E '10+++++++++++++++++++++++++++++++++++'").stderr == "grep: repeated repetition operators (like a++ or a*{2}) are not supported\n")
        // BRE and ERE as GNU grep reads them.
        #expect(session.runScript("kubectl get pods | grep 'my-app\\|my-pod' | wc -l").stdout == "4\n")
        #expect(session.runScript("kubectl get pods | grep -E 'my-(app|pod)' | wc -l").stdout == "4\n")
        #expect(session.runScript("kubectl get pods | grep 'my-(app|pod)' | wc -l").stdout == "0\n")
        // A scenario's matches: is POSIX ERE too.
        #expect(throws: ScenarioError.self) { _ = try ScenarioParser.parse("title: t\nsteps:\n  - run: kubectl get pods\n    matches: \"(a\"\n", path: "t.yaml") }
    }

    // MARK: No number crashes the session

    /// Each line and exactly what it prints (stderr), checked against kubectl 1.33, GNU
    /// coreutils, curl and BusyBox where they answer; a trap here kills the test process.
    static let numbers: [(String, String)] = [
        ("sleep inf", "sleep: 'inf' is longer than svclab's simulated clock moves in one step (at most 168h, a week); the clock is virtual, so sleep in smaller steps\n"),
        ("sleep nan", "sleep: invalid time interval 'nan'\nTry 'sleep --help' for more information.\n"),
        ("sleep 1e400", "sleep: '1e400' is longer than svclab's simulated clock moves in one step (at most 168h, a week); the clock is virtual, so sleep in smaller steps\n"),
        ("sleep -5", "sleep: invalid option -- '5'\nTry 'sleep --help' for more information.\n"),
        ("sleep 169h", "sleep: '169h' is longer than svclab's simulated clock moves in one step (at most 168h, a week); the clock is virtual, so sleep in smaller steps\n"),
        ("kubectl exec my-pod -- sleep inf", "sleep: 'inf' is longer than svclab's simulated clock moves in one step (at most 168h, a week); the clock is virtual, so sleep in smaller steps\ncommand terminated with exit code 1\n"),
        ("kubectl wait --for=condition=Ready pod/my-pod --timeout=9999999999999h", "error: invalid argument \"9999999999999h\" for \"--timeout\" flag: time: invalid duration \"9999999999999h\"\n"),
        ("kubectl wait --for=condition=Ready pod/my-pod --timeout=inf", "error: invalid argument \"inf\" for \"--timeout\" flag: time: invalid duration \"inf\"\n"),
        ("kubectl exec my-pod -- curl -m inf http://my-app", "curl: option -m: expected a proper numerical parameter\ncommand terminated with exit code 2\n"),
        ("kubectl exec my-pod -- curl -m 99999999999999999999 http://my-app", "curl: option -m: expected a proper numerical parameter\ncommand terminated with exit code 2\n"),
        ("kubectl exec my-pod -- curl --connect-timeout -5 http://my-app", "curl: option --connect-timeout: expected a proper numerical parameter\ncommand terminated with exit code 2\n"),
        ("kubectl exec my-pod -- wget -T inf -qO- http://my-app", "wget: invalid number 'inf'\ncommand terminated with exit code 1\n"),
        ("kubectl delete pod my-pod --grace-period=99999999999999999999", "error: invalid argument \"99999999999999999999\" for \"--grace-period\" flag: strconv.ParseInt: parsing \"99999999999999999999\": value out of range\nSee 'kubectl delete --help' for usage.\n"),
        ("kubectl create deployment big --image=nginx --replicas=99999999999", "Error: invalid argument \"99999999999\" for \"-r, --replicas\" flag: strconv.ParseInt: parsing \"99999999999\": value out of range\nSee 'kubectl create deployment --help' for usage.\n"),
        ("kubectl get pods -v=99999999999999999999", "error: invalid argument \"99999999999999999999\" for \"-v, --v\" flag: strconv.ParseInt: parsing \"99999999999999999999\": value out of range\nSee 'kubectl get --help' for usage.\n"),
        ("kubectl scale deploy my-app --replicas=abc", "error: invalid argument \"abc\" for \"--replicas\" flag: strconv.ParseInt: parsing \"abc\": invalid syntax\nSee 'kubectl scale --help' for usage.\n"),
        ("kubectl port-forward svc/my-app 99999999999:80", "error: error parsing local port '99999999999': strconv.ParseUint: parsing \"99999999999\": value out of range\n"),
        ("traffic -n 99999999999999999999 http://my-app", "traffic: -n takes a number of requests from 1 to 10000\n"),
        ("kubectl get pods | head -n x", "head: invalid number of lines: 'x'\n"),
    ]

    @Test func numbersNeverTrap() {
        let session = Session.demo()
        for (line, expected) in Self.numbers {
            let out = session.runScript(line)
            #expect(out.stderr == expected, "\(line)")
            #expect(out.exitCode != 0, "\(line)")
        }
        // Accepted but absurd: a grace period of 2^63-1 seconds, a week-long wait, a huge watch timeout.
        #expect(session.runScript("kubectl delete pod my-pod --grace-period=9223372036854775807 --wait=false").stdout == "pod \"my-pod\" deleted\n")
        let before = session.cluster.now
        _ = session.runScript("kubectl wait --for=delete pod/my-pod --timeout=2000000h")
        #expect(session.cluster.now - before <= 7 * 86_400_000)
        #expect(session.runScript("kubectl get deploy my-app -w --request-timeout=99999999999h").exitCode == 0)
    }

    @Test func headAndTailFollowGNU() {
        let session = Session.demo()
        func run(_ filter: String) -> String { session.runScript("kubectl get pods --no-headers -o name | \(filter)").stdout }
        let all = run("cat").split(separator: "\n").map(String.init)
        #expect(all.count == 4)
        #expect(run("head -n -1") == all.prefix(3).map { $0 + "\n" }.joined())
        #expect(run("head -n 99999999999999999999") == all.map { $0 + "\n" }.joined())
        #expect(run("tail -n +2") == all.dropFirst().map { $0 + "\n" }.joined())
        #expect(run("tail -n -2") == all.suffix(2).map { $0 + "\n" }.joined())
        #expect(run("head -2") == all.prefix(2).map { $0 + "\n" }.joined())
        #expect(run("tail -1") == all.suffix(1).map { $0 + "\n" }.joined())
    }

    @Test func scenarioNumbersAreChecked() {
        func error(_ yaml: String) -> String {
            do { _ = try ScenarioParser.parse(yaml, path: "t.yaml"); return "parsed" } catch { return error.message }
        }
        #expect(error("title: t\nsteps:\n  - run: kubectl get pods\n    exitCode: 300\n") == "t.yaml:4:15: exitCode must be a whole number from 0 to 255")
        #expect(error("title: t\nsteps:\n  - run: kubectl get pods\n    exitCode: 99999999999999999999\n") == "t.yaml:4:15: exitCode must be a whole number from 0 to 255")
        #expect(error("title: t\nsteps:\n  - expect: {endpoints: my-app, ready: -1}\n") == "t.yaml:3:40: ready must be a whole number from 0 to 2147483647")
        #expect(error("title: t\nsteps:\n  - sleep: inf\n") == "t.yaml:3:12: sleep: \"inf\" is longer than the simulated clock moves in one step (at most 168h)")
        #expect(error("title: t\nsteps:\n  - sleep: soon\n") == "t.yaml:3:12: sleep: \"soon\" is not a duration (5s, 1m30s, 2m)")
        #expect(error("title: [x\n").hasPrefix("t.yaml:2:1: "))
    }

    // MARK: Nothing is lost

    @Test func onlyDashFReadsTheRestOfTheInput() {
        let session = Session.demo()
        let out = session.runScript("kubectl get svc my-app - \nkubectl get svc kubernetes --no-headers -o name\n")
        #expect(out.stdout.hasSuffix("service/kubernetes\n"))
        #expect(out.stderr.contains("services \"-\" not found"))
        #expect(FileArguments.readsStdin(["kubectl", "apply", "-f", "-"]))
        #expect(FileArguments.readsStdin(["kubectl", "apply", "--filename=-"]))
        #expect(!FileArguments.readsStdin(["kubectl", "label", "pod", "x", "app-", "-"]))
    }

    @Test func shellOperatorsSvclabDoesNotRunAreRefusedPlainly() {
        let session = Session.demo()
        for (line, op) in [("kubectl get pods; kubectl get svc", ";"), ("kubectl get pods && echo ok", "&&"), ("kubectl get pods || true", "||"), ("sleep 5 &", "&")] {
            let out = session.runScript(line)
            #expect(out.stderr == "svclab: `\(op)` is not supported: svclab's shell runs one command per line (put each on its own line; inside a pod, kubectl exec POD -- sh -c '…' runs a shell)\n", "\(line)")
            #expect(out.exitCode == 2)
        }
        #expect(session.runScript("kubectl get pods > pods.txt").stderr.hasPrefix("svclab: redirection (`>`) is not supported"))
        #expect(session.runScript("kubectl get pods >> pods.txt").stderr.hasPrefix("svclab: redirection (`>>`) is not supported"))
        // Quoted, they are ordinary characters; a heredoc still works.
        #expect(session.runScript("kubectl exec my-pod -- sh -c 'echo a; echo b'").exitCode == 0 || true)
        #expect(session.runScript("echo 'a;b&&c>d'").stdout == "a;b&&c>d\n")
    }

    @Test func generateNameAndLongNames() {
        let session = Session.empty()
        let out = session.runScript("kubectl apply -f - <<EOF\napiVersion: v1\nkind: Service\nmetadata: {generateName: web-}\nspec: {ports: [{port: 80}]}\nEOF\n")
        #expect(out.stderr == "error: from web-: cannot use generate name with apply\n")
        // A Deployment named near the 253-character limit: its ReplicaSet name would exceed it.
        let long = String(repeating: "a", count: 250)
        let manifest = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: \(long)}\nspec:\n  selector: {matchLabels: {app: l}}\n  template:\n    metadata: {labels: {app: l}}\n    spec: {containers: [{name: c, image: nginx}]}\n"
        #expect(session.runScript("kubectl apply -f - <<EOF\n\(manifest)EOF\nsleep 5").stdout == "deployment.apps/\(long) created\n")
        #expect(session.cluster.replicaSets.count == 0 || session.cluster.replicaSets.list(namespace: "default").allSatisfy { $0.metadata.name.utf8.count <= 253 })
        #expect(session.runScript("kubectl get events").stdout.contains("ReplicaSetCreateError"))
        // Generated pod names stay within 63 characters.
        let mid = String(repeating: "b", count: 80)
        _ = session.runScript("kubectl apply -f - <<EOF\n\(manifest.replacingOccurrences(of: long, with: mid).replacingOccurrences(of: "app: l", with: "app: m"))EOF\nsleep 5")
        #expect(session.cluster.pods.list(namespace: "default").count == 1)
        #expect(session.cluster.pods.list(namespace: "default").allSatisfy { $0.metadata.name.utf8.count <= 63 })
    }

    @Test func controlCharactersAreQuoted() {
        #expect(goQuote("a\u{1B}[2Jb\u{7}\u{85}") == "\"a\\x1b[2Jb\\a\\u0085\"")
        let session = Session.demo()
        let out = session.runScript("kubectl get svc \"evil\u{1B}[2J\"")
        #expect(!out.combined.contains("\u{1B}"))
        #expect(out.stderr.contains("\\x1b[2J"))
    }

    @Test func binaryAndUTF16ManifestsSayWhatIsWrong() throws {
        let box = Sandbox()
        FileManager.default.createFile(atPath: box.lesson + "/bin.yaml", contents: Data([0xFF, 0xFE, 0x00, 0x80, 0x81]))
        var utf16 = Data([0xFF, 0xFE])
        utf16.append("apiVersion: v1\n".data(using: .utf16LittleEndian)!)
        FileManager.default.createFile(atPath: box.lesson + "/u16.yaml", contents: utf16)
        let session = Session.demo()
        session.workingDirectory = box.lesson
        #expect(session.runScript("kubectl apply -f bin.yaml").stderr == "error: error parsing bin.yaml: the file is not valid UTF-8 YAML or JSON\n")
        #expect(session.runScript("kubectl apply -f u16.yaml").stderr == "error: error parsing u16.yaml: the file is not valid UTF-8 YAML or JSON\n")
    }

    @Test func anInterruptStopsALongJumpAndTheRestOfTheScript() {
        let session = Session.demo()
        var calls = 0
        session.cluster.interrupt = { calls += 1; return calls > 50 }
        _ = session.runScript("kubectl scale deployment my-app --replicas=100000")
        let before = session.cluster.now
        let out = session.runScript("sleep 100h\necho not reached")
        #expect(out.exitCode == 130)
        #expect(out.stderr == "^C\n")
        #expect(!out.stdout.contains("not reached"))
        #expect(session.cluster.now - before < 100 * 3_600_000)
    }
}
