import TextLayout
import ClusterModel
import Kubectl
import ClusterEngine
import Scenario

/// The lab's UI state: plain data. `update` changes it; `render` draws it with a `LabView`.
public struct LabState: Equatable, Sendable {
    public enum Pane: Int, CaseIterable, Sendable { case services, pods, endpoints }
    public enum Speed: Int, CaseIterable, Sendable {
        case paused = 0, normal = 1, fast = 10
        public var label: String { self == .paused ? "paused" : "\(rawValue)×" }
    }
    /// A one-line input at the bottom: what it is for decides what Enter does.
    public enum PromptKind: String, Sendable { case command = ":", filter = "/", scale = "scale to: ", label = "label: ", predict = "your prediction: " }
    public struct Prompt: Equatable, Sendable {
        public var kind: PromptKind
        public var text = ""
        public var target = ""   // the deployment or pod the prompt acts on
    }
    /// A scrollable panel over the panes: command output, help.
    public struct Panel: Equatable, Sendable {
        public var title: String
        public var lines: [String]
        public var scroll = 0
        /// Columns scrolled to the right (wide tables).
        public var column = 0
        /// Lines that are a manifest (their keys are coloured) and lines to mark.
        public var manifest: Range<Int>?
        public var highlight: Set<Int> = []
        /// Long prose lines wrap (`w` turns it off); table rows and manifest lines never do.
        public var wrap = true
        /// Which lines are rows of a column-aligned table (measured once, when the panel opens).
        public let tableRows: [Bool]
        public init(title: String, lines: [String], manifest: Range<Int>? = nil, highlight: Set<Int> = []) {
            self.title = title; self.lines = lines; self.manifest = manifest; self.highlight = highlight
            tableRows = TextLayout.tableRows(lines)
        }

        /// Whether line `i` wraps at the view's width.
        func wraps(_ i: Int) -> Bool { wrap && !tableRows[i] && manifest?.contains(i) != true }
    }
    /// The last output (a command's, a lesson step's, a trace): `o` opens it full screen.
    public var lastOutput: Panel?
    /// The KUBE-SEP chain the last request (`f`) went through: the Rules view marks its rules.
    public var lastEndpointChain: String?
    /// A row that changed a moment ago, marked until `until` (simulated time).
    public struct Pulse: Equatable, Sendable {
        public enum Kind: Sendable { case added, changed, removed }
        public var kind: Kind
        public var until: Millis
    }

    /// The scenario being played (`svclab play`): narration for the current step.
    public struct Lesson: Equatable, Sendable {
        public var title: String
        public var progress: String
        public var lines: [String]
        /// What the step is about: the lab selects it (nil: the selection stays).
        public var focus: Scenario.Focus?
        /// A challenge with `diagnostics: off` is open: the panes keep their findings to themselves.
        public var hideDiagnostics = false
    }

    public var lesson: Lesson?
    /// How `f` and `b` address the Service: its DNS name, its ClusterIP, or a NodePort from outside.
    public enum RequestVia: String, CaseIterable, Sendable { case name = "DNS name", clusterIP = "ClusterIP", nodePort = "NodePort (from the host)" }
    public var requestVia: RequestVia = .name
    public var focus: Pane = .services
    public var serviceIndex = 0
    public var podIndex = 0
    public var endpointScroll = 0
    public var selectedService: String?
    public var prompt: Prompt?
    public var filter = ""
    public var panel: Panel?
    /// `svclab --serve`: the API's address, shown in the header.
    public var serving: String?
    /// `svclab --kubeconfig`: the real cluster shown (context @ server), for a header that
    /// cannot be mistaken for the simulation; and why it is reconnecting, while it is.
    public var realCluster: String?
    public var realClusterProblem: String?
    /// The trace pane: lines with what each says (`TraceLine.Kind`), so the pane colours and
    /// shortens them without reading their words.
    public var trace: [TraceLine] = []
    public var traceTitle = "Events"
    public var flash: String?
    public var speed: Speed = .normal
    public var quit = false
    public var history: [String] = []
    public var pulses: [String: Pulse] = [:]
    /// Endpoint rows that just left, still drawn (struck) while their pulse lasts.
    public var ghosts: [LabView.EndpointRow] = []
    public var unicode = true
    public var seed: UInt64 = 1
    /// Where the session is being recorded, if it is.
    public var recording: String?

    public init(unicode: Bool = true, seed: UInt64 = 1) { self.unicode = unicode; self.seed = seed }
}

/// What happens to the lab.
public enum LabEvent: Equatable, Sendable {
    case key(Key)
    case tick
}

/// Keys as the terminal reports them.
public enum Key: Equatable, Hashable, Sendable {
    case char(Character)
    case up, down, left, right, pageUp, pageDown, tab, backTab, enter, escape, backspace
    case ctrl(Character)
}

/// What `update` asks the runner to do to the cluster (the only impure part).
public enum LabEffect: Equatable, Sendable {
    case run(String)                       // any svclab shell line; output goes to a panel
    case scale(deployment: String, replicas: Int)
    case scaleBy(deployment: String, delta: Int)
    case label(pod: String, spec: String)
    case toggleReadiness(pod: String)
    case deletePod(String)
    case fire(service: String)
    case burst(service: String)
    case step(Millis)
    case lesson(LessonAction)
    case toggleRecording
    /// The iptables rules kube-proxy writes for a Service, on the client pod's node.
    case showRules(service: String)
}

public enum LessonAction: Equatable, Sendable { case next, previous, skip, hint, solution, predict(String) }
