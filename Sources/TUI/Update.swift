import ClusterEngine
import ClusterModel

/// `update(state, event) -> effects`: pure; the runner applies the effects to the cluster.
public enum LabUpdate {
    public static func update(_ state: inout LabState, _ event: LabEvent, view: LabView) -> [LabEffect] {
        guard case let .key(key) = event else { return [] }
        if key == .ctrl("c") { state.quit = true; return [] }
        if state.prompt != nil { return promptKey(&state, key) }
        if state.panel != nil {
            // The view never traps the learner: `:` closes it and opens the command prompt (a
            // view that opened by itself must not eat the command typed next), and while a
            // lesson plays its keys close it and act (n goes on, p looks back, h and S help).
            let lessonKeys: [Key] = [.char("n"), .char("p"), .char("N"), .char("h"), .char("S")]
            guard key == .char(":") || (state.lesson != nil && lessonKeys.contains(key)) else { panelKey(&state, key); return [] }
            state.panel = nil
        }
        if key == .escape { state.flash = nil; state.filter = ""; return [] }
        if key == .enter, state.focus == .services {
            state.focus = .pods; return []
        }
        guard let binding = KeyTable.binding(for: key) else {
            if case let .char(c) = key { state.flash = "\(c): no such key — ? lists them" }
            return []
        }
        state.flash = nil
        let effects = binding.action(&state, view)
        state.clamp(view)
        return effects
    }

    static func panelKey(_ state: inout LabState, _ key: Key) {
        guard var panel = state.panel else { return }
        switch key {
        case .escape, .char("q"), .enter: state.panel = nil; return
        case .up, .char("k"): panel.scroll = max(0, panel.scroll - 1)
        case .down, .char("j"): panel.scroll = min(max(0, panel.lines.count - 1), panel.scroll + 1)
        case .pageUp: panel.scroll = max(0, panel.scroll - 10)
        case .pageDown: panel.scroll = min(max(0, panel.lines.count - 1), panel.scroll + 10)
        case .left: panel.column = max(0, panel.column - 8)
        case .right: panel.column = min(max(0, (panel.lines.map(\.count).max() ?? 0) - 8), panel.column + 8)
        case .char("w"): panel.wrap.toggle()
        case .char("g"): panel.scroll = 0; panel.column = 0
        case .char("G"): panel.scroll = max(0, panel.lines.count - 1)
        default: break
        }
        state.panel = panel
    }

    static func promptKey(_ state: inout LabState, _ key: Key) -> [LabEffect] {
        guard var prompt = state.prompt else { return [] }
        switch key {
        case .escape:
            state.prompt = nil
            return []
        case .backspace:
            if !prompt.text.isEmpty { prompt.text.removeLast() }
        case let .char(c):
            prompt.text.append(c)
        case .up where prompt.kind == .command:
            if let i = state.history.lastIndex(of: prompt.text), i > 0 { prompt.text = state.history[i - 1] }
            else if let last = state.history.last, !state.history.contains(prompt.text) { prompt.text = last }
        case .down where prompt.kind == .command:
            if let i = state.history.lastIndex(of: prompt.text), i + 1 < state.history.count { prompt.text = state.history[i + 1] }
            else { prompt.text = "" }
        case .enter:
            state.prompt = nil
            let text = prompt.text.trimmingCharacters(in: .whitespaces)
            switch prompt.kind {
            case .command:
                guard !text.isEmpty else { return [] }
                if state.history.last != text { state.history.append(text) }
                return [.run(text)]
            case .filter:
                state.filter = text
                state.podIndex = 0
                return []
            case .scale:
                guard let n = Int(text), n >= 0 else {
                    state.flash = "error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0"
                    return []
                }
                return [.scale(deployment: prompt.target, replicas: n)]
            case .label:
                guard !text.isEmpty else { return [] }
                return [.label(pod: prompt.target, spec: text)]
            case .predict:
                return [.lesson(.predict(text))]
            }
        default:
            break
        }
        state.prompt = prompt
        return []
    }
}

extension LabState {
    mutating func move(_ delta: Int, _ view: LabView) {
        switch focus {
        case .services:
            serviceIndex = max(0, min(view.services.count - 1, serviceIndex + delta))
            selectedService = view.services.indices.contains(serviceIndex) ? view.services[serviceIndex].name : nil
        case .pods:
            podIndex = max(0, min(view.pods.count - 1, podIndex + delta))
        case .endpoints:
            endpointScroll = max(0, endpointScroll + delta)
        }
    }

    /// Keeps indexes inside the lists and the selected Service by name (lists change under us).
    mutating func clamp(_ view: LabView) {
        if let name = selectedService, let i = view.services.firstIndex(where: { $0.name == name }) { serviceIndex = i }
        serviceIndex = max(0, min(serviceIndex, view.services.count - 1))
        selectedService = view.services.indices.contains(serviceIndex) ? view.services[serviceIndex].name : nil
        podIndex = max(0, min(podIndex, view.pods.count - 1))
    }

    func currentService(_ view: LabView) -> String? {
        view.services.indices.contains(serviceIndex) ? view.services[serviceIndex].name : nil
    }

    func selectedPod(_ view: LabView) -> LabView.PodRow? {
        focus == .pods && view.pods.indices.contains(podIndex) ? view.pods[podIndex] : nil
    }

    /// The Deployment behind the selection: the selected pod's, else the one whose pods the
    /// selected Service selects.
    func selectedDeployment(_ view: LabView) -> String? {
        if focus == .pods, view.pods.indices.contains(podIndex), let d = view.pods[podIndex].deployment { return d }
        return view.pods.first { $0.selected && $0.deployment != nil }?.deployment
    }

    /// Marks rows that appeared, changed or left since the last frame (kept for 3 simulated s).
    public mutating func observe(old: LabView?, new: LabView) {
        let until = new.now + 3000
        pulses = pulses.filter { $0.value.until > new.now }
        ghosts = ghosts.filter { pulses["ep:" + $0.id]?.kind == .removed }
        guard let old, old.namespace == new.namespace else { return }
        let oldEndpoints = Dictionary(old.endpoints.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let newEndpoints = Dictionary(new.endpoints.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        // Rows only pulse for what changed in the cluster, not because another Service was selected
        // (its endpoints are all "new" and every pod's selection marks differ).
        let sameService = old.endpointsOf == new.endpointsOf
        if sameService {
            for (id, e) in newEndpoints {
                if let before = oldEndpoints[id] {
                    if before.state != e.state { pulses["ep:" + id] = Pulse(kind: .changed, until: until) }
                } else {
                    pulses["ep:" + id] = Pulse(kind: .added, until: until)
                }
            }
            for (id, e) in oldEndpoints where newEndpoints[id] == nil {
                pulses["ep:" + id] = Pulse(kind: .removed, until: until)
                ghosts.append(e)
            }
        }
        let oldPods = Dictionary(old.pods.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for p in new.pods {
            if let before = oldPods[p.name] {
                if before != p && (sameService || !before.sameExceptSelection(p)) { pulses["pod:" + p.name] = Pulse(kind: .changed, until: until) }
            } else {
                pulses["pod:" + p.name] = Pulse(kind: .added, until: until)
            }
        }
    }
}

import Foundation
