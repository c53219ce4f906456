import ClusterEngine

/// One entry of the key table: it drives dispatch, the `?` help screen and the footer hints
/// (k9s's pattern). Keys avoid k9s's meanings where they would mislead (k9s `s` is a shell,
/// `l` logs, `d` describe).
public struct KeyBinding: Sendable {
    public var keys: [Key]
    /// How the key is written in help and footer.
    public var label: String
    /// Short footer word (nil: help screen only).
    public var hint: String?
    public var help: String
    public var action: @Sendable (inout LabState, LabView) -> [LabEffect]
}

public enum KeyTable {
    /// A key that drives `svclab play`; outside a scenario it says so instead.
    static func lessonKey(_ key: Character, _ step: LessonAction, _ help: String) -> KeyBinding {
        KeyBinding(keys: [.char(key)], label: String(key), hint: nil, help: help) { s, _ in
            guard s.lesson != nil else { s.flash = "\(key): only when playing a scenario (svclab play FILE)"; return [] }
            return [.lesson(step)]
        }
    }

    public static let bindings: [KeyBinding] = [
        KeyBinding(keys: [.up, .char("k")], label: "↑/k", hint: nil, help: "move up in the focused pane") { s, v in s.move(-1, v); return [] },
        KeyBinding(keys: [.down, .char("j")], label: "↓/j", hint: nil, help: "move down in the focused pane") { s, v in s.move(1, v); return [] },
        KeyBinding(keys: [.tab], label: "Tab", hint: "pane", help: "next pane (Services → Pods → Endpoints)") { s, _ in
            s.focus = LabState.Pane(rawValue: (s.focus.rawValue + 1) % 3)!; return []
        },
        KeyBinding(keys: [.backTab], label: "S-Tab", hint: nil, help: "previous pane") { s, _ in
            s.focus = LabState.Pane(rawValue: (s.focus.rawValue + 2) % 3)!; return []
        },
        KeyBinding(keys: [.char("+")], label: "+", hint: "scale", help: "scale the selected app's Deployment up by one") { s, v in
            guard let d = s.selectedDeployment(v) else { s.flash = "no Deployment behind the selection"; return [] }
            return [.scaleBy(deployment: d, delta: 1)]
        },
        KeyBinding(keys: [.char("-")], label: "-", hint: nil, help: "scale the selected app's Deployment down by one") { s, v in
            guard let d = s.selectedDeployment(v) else { s.flash = "no Deployment behind the selection"; return [] }
            return [.scaleBy(deployment: d, delta: -1)]
        },
        KeyBinding(keys: [.char("=")], label: "=", hint: nil, help: "scale the selected app's Deployment to a number you type") { s, v in
            guard let d = s.selectedDeployment(v) else { s.flash = "no Deployment behind the selection"; return [] }
            s.prompt = LabState.Prompt(kind: .scale, text: "", target: d); return []
        },
        KeyBinding(keys: [.char("L")], label: "L", hint: "label", help: "relabel the selected pod (key=value, or key- to remove)") { s, v in
            guard let p = s.selectedPod(v) else { s.flash = "select a pod first (Tab to the Pods pane)"; return [] }
            s.prompt = LabState.Prompt(kind: .label, text: "", target: p.name); return []
        },
        KeyBinding(keys: [.char("r")], label: "r", hint: "ready", help: "break or mend the selected pod's readiness probe") { s, v in
            guard let p = s.selectedPod(v) else { s.flash = "select a pod first (Tab to the Pods pane)"; return [] }
            return [.toggleReadiness(pod: p.name)]
        },
        KeyBinding(keys: [.char("x")], label: "x", hint: "delete", help: "delete the selected pod (its ReplicaSet replaces it)") { s, v in
            guard let p = s.selectedPod(v) else { s.flash = "select a pod first (Tab to the Pods pane)"; return [] }
            return [.deletePod(p.name)]
        },
        KeyBinding(keys: [.char("f")], label: "f", hint: "request", help: "fire one request to the selected Service and trace its route") { s, v in
            guard let svc = s.currentService(v) else { s.flash = "no Service selected"; return [] }
            return [.fire(service: svc)]
        },
        KeyBinding(keys: [.char("b")], label: "b", hint: nil, help: "fire a burst of 100 requests and show how they spread") { s, v in
            guard let svc = s.currentService(v) else { s.flash = "no Service selected"; return [] }
            return [.burst(service: svc)]
        },
        KeyBinding(keys: [.char("i")], label: "i", hint: nil, help: "the iptables rules kube-proxy writes for the selected Service (the last request's rule marked)") { s, v in
            guard let svc = s.currentService(v) else { s.flash = "no Service selected"; return [] }
            return [.showRules(service: svc)]
        },
        KeyBinding(keys: [.char("v")], label: "v", hint: nil, help: "switch how f and b address the Service: DNS name, ClusterIP, NodePort from the host") { s, _ in
            let all = LabState.RequestVia.allCases
            s.requestVia = all[(all.firstIndex(of: s.requestVia)! + 1) % all.count]
            s.flash = "requests now go to the Service's \(s.requestVia.rawValue)"
            return []
        },
        KeyBinding(keys: [.char("/")], label: "/", hint: "filter", help: "filter pods by name or label") { s, _ in
            s.prompt = LabState.Prompt(kind: .filter, text: s.filter); return []
        },
        KeyBinding(keys: [.char(":")], label: ":", hint: "cmd", help: "run any svclab shell line (kubectl …, trace, traffic, sleep)") { s, _ in
            s.prompt = LabState.Prompt(kind: .command); return []
        },
        KeyBinding(keys: [.char(" ")], label: "Space", hint: "pause", help: "pause or resume the simulated clock") { s, _ in
            s.speed = s.speed == .paused ? .normal : .paused; return []
        },
        KeyBinding(keys: [.char(".")], label: ".", hint: nil, help: "advance the clock one second (handy while paused)") { _, _ in [.step(1000)] },
        KeyBinding(keys: [.char(">")], label: ">", hint: nil, help: "run the clock 10× faster") { s, _ in s.speed = .fast; return [] },
        KeyBinding(keys: [.char("<")], label: "<", hint: nil, help: "back to real time (1×)") { s, _ in s.speed = .normal; return [] },
        lessonKey("n", .next, "scenario: next step (a challenge: check whether it is solved)"),
        lessonKey("p", .previous, "scenario: look back at the previous step's text"),
        lessonKey("N", .skip, "scenario: skip the current challenge"),
        lessonKey("h", .hint, "scenario: the next hint for the challenge"),
        lessonKey("S", .solution, "scenario: show the challenge's solution"),
        KeyBinding(keys: [.char("R")], label: "R", hint: nil, help: "start/stop recording what you do as a scenario file (svclab-recording.yaml)") { _, _ in
            [.toggleRecording]
        },
        KeyBinding(keys: [.char("o")], label: "o", hint: "output", help: "the last output (a command, a lesson step and its manifest, a trace) full screen, scrollable both ways") { s, _ in
            guard let out = s.lastOutput else { s.flash = "no output yet"; return [] }
            s.panel = out; return []
        },
        KeyBinding(keys: [.char("?")], label: "?", hint: "help", help: "this help") { s, _ in
            s.panel = LabState.Panel(title: "Help", lines: KeyTable.helpLines); return []
        },
        KeyBinding(keys: [.char("q")], label: "q", hint: "quit", help: "quit (Ctrl-C too)") { s, _ in s.quit = true; return [] },
    ]

    public static var helpLines: [String] {
        ["Keys (the footer shows the common ones):", ""]
            + bindings.map { b in b.label.padding(toLength: 7, withPad: " ", startingAt: 0) + b.help }
            + ["", "In a prompt: Enter runs it, Esc cancels, ↑/↓ recall earlier lines.",
               "In a panel: ↑/↓ PgUp/PgDn and ←/→ scroll, g/G top/bottom, w wraps long lines",
               "  or not (tables and manifests never wrap), Esc or q closes it.",
               "", "Selected pods are marked ● (the Service's selector matches), others ○;",
               "endpoints are ✓ ready, ✗ not ready, … terminating; + ~ - mark rows that just changed."]
    }

    static func binding(for key: Key) -> KeyBinding? { bindings.first { $0.keys.contains(key) } }
}
