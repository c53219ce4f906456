import ClusterModel
import Kubectl
import ClusterEngine
import Foundation
import TextLayout

/// `render(state, view, size) -> Grid`: pure; the same inputs draw the same frame.
public enum LabRender {
    public static let minimumWidth = 80
    public static let minimumHeight = 24

    public static func render(_ s: LabState, _ v: LabView, width: Int, height: Int) -> Grid {
        var g = Grid(width: width, height: height)
        let glyphs = s.unicode ? Glyphs.unicode : Glyphs.ascii
        guard width >= minimumWidth, height >= minimumHeight else {
            let lines = ["svclab needs a terminal of at least \(minimumWidth)×\(minimumHeight);", "this one is \(width)×\(height).",
                         "Make it larger, or press q to quit."]
            for (i, l) in lines.enumerated() {
                g.put(max(0, (width - l.count) / 2), max(0, height / 2 - 1 + i), l, i == 0 ? .warn : .normal)
            }
            return g
        }
        header(&g, s, v)
        let bodyTop = 1
        // A scenario's narration takes a full-width box at the bottom of the body.
        let lessonLines = s.lesson.map { lessonText($0, width: width) } ?? []
        let lessonHeight = s.lesson == nil ? 0 : min(lessonBoxHeight(height), max(5, lessonLines.count + 2))
        let bodyHeight = height - 3 - lessonHeight
        if let lesson = s.lesson {
            // A long title gives way (elided) so the progress ("step 3 of 7") always shows.
            let progress = " · \(lesson.progress)"
            let room = max(8, width - 6 - progress.count)
            let title = lesson.title.count > room ? String(lesson.title.prefix(room - 1)) + "…" : lesson.title
            let inner = g.box(0, bodyTop + bodyHeight, width, lessonHeight, title: title + progress, focused: true, glyphs: glyphs)
            let lines = lessonLines
            for (i, line) in lines.suffix(inner.h).enumerated() {
                let role: Role = line.hasPrefix("✓") ? .ok : line.hasPrefix("✗") || line.hasPrefix("Not yet") ? .error : line.hasPrefix("Challenge") ? .title : .normal
                g.putFitted(inner.x, inner.y + i, line, role, width: inner.w)
            }
        }
        // The left column holds two tables; it gets a little more room.
        let left = width * 21 / 40, right = width - left
        let servicesHeight = min(max(5, servicesRows(v, paneWidth: left) + 2), bodyHeight * 2 / 5)
        servicesPane(&g, s, v, x: 0, y: bodyTop, w: left, h: servicesHeight, glyphs: glyphs)
        podsPane(&g, s, v, x: 0, y: bodyTop + servicesHeight, w: left, h: bodyHeight - servicesHeight, glyphs: glyphs)
        // The endpoints pane takes what its rows need (within bounds); the trace gets the rest.
        let endpointRows = v.endpoints.count + s.ghosts.count + (v.leftOut.isEmpty ? 0 : 1 + v.leftOut.count * 2) + v.findings.count * 2
        let endpointsHeight = max(min(6, bodyHeight / 2), min(endpointRows + 2, bodyHeight - 6))
        endpointsPane(&g, s, v, x: left, y: bodyTop, w: right, h: endpointsHeight, glyphs: glyphs)
        tracePane(&g, s, v, x: left, y: bodyTop + endpointsHeight, w: right, h: bodyHeight - endpointsHeight, glyphs: glyphs)
        footer(&g, s, v, glyphs: glyphs)
        if let panel = s.panel { overlay(&g, panel, glyphs: glyphs) }
        return g
    }

    static func clock(_ ms: Millis) -> String {
        let day = ms % 86_400_000
        return String(format: "%02d:%02d:%02d", day / 3_600_000, day / 60_000 % 60, day / 1000 % 60)
    }

    static func header(_ g: inout Grid, _ s: LabState, _ v: LabView) {
        if let real = s.realCluster {
            // A real cluster: its own colour and words, never the simulation's header.
            g.fill(0, 0, g.width, 1, .live)
            // Trouble first: a header cut at the right edge must still say it.
            let text = s.realClusterProblem.map { " svclab · REAL cluster · RECONNECTING: \($0) · \(real)" }
                ?? " svclab · REAL cluster \(real) · ns \(v.namespace) · \(clock(v.now)) UTC"
            let end = g.putFitted(0, 0, text, .live, width: g.width)
            let hint = "? help  q quit "
            if end + hint.count + 1 <= g.width { g.put(g.width - hint.count, 0, hint, .live) }
            return
        }
        g.fill(0, 0, g.width, 1, .header)
        let text = " svclab · cluster \(v.clusterName) · ns \(v.namespace) · \(clock(v.now)) · \(s.speed.label) · seed \(s.seed)" + (s.recording == nil ? "" : " · ● REC")
            + (s.requestVia == .name ? "" : " · via \(s.requestVia == .clusterIP ? "IP" : "NodePort")")
            + (s.serving.map { " · API \($0)" } ?? "")
        let end = g.putFitted(0, 0, text, .header, width: g.width)
        let hint = "? help  q quit "
        if end + hint.count + 1 <= g.width { g.put(g.width - hint.count, 0, hint, .header) }
    }

    static func pad(_ s: String, _ n: Int) -> String {
        let clipped = s.count > n ? String(s.prefix(max(0, n - 1))) + "…" : s
        return clipped.padding(toLength: n, withPad: " ", startingAt: 0)
    }

    /// A column followed by another: its last cell is always a space, so no value runs into
    /// the next column (a 13-character ClusterIP in a 13-cell column read `10.101.72.20480/TCP`).
    static func column(_ s: String, _ n: Int) -> String {
        guard n > 1 else { return String(repeating: " ", count: max(0, n)) }
        return pad(s, n - 1) + " "
    }

    /// Pod names differ at the end (`my-app-d9dfc86bc-b57ng`): elide the middle, keep the tail.
    static func fitName(_ s: String, _ n: Int) -> String {
        guard s.count > n, n > 8 else { return pad(s, n) }
        return pad(String(s.prefix(n - 7)) + "…" + String(s.suffix(6)), n)
    }

    /// Wrapping that never cuts (TextLayout: `scenarios --check` measures lesson text with it).
    static func wrap(_ text: String, _ width: Int, indent: String) -> [String] { TextLayout.wrap(text, width, indent: indent) }

    static func servicesPane(_ g: inout Grid, _ s: LabState, _ v: LabView, x: Int, y: Int, w: Int, h: Int, glyphs: Glyphs) {
        let inner = g.box(x, y, w, h, title: "Services (\(shownOf(v.services.count, v.serviceCount)))", focused: s.focus == .services, glyphs: glyphs)
        // Wide: one row a Service, the selector with room to read. Otherwise a row has the name,
        // the whole type, the address (and the ports when they fit); the selected Service's
        // selector (and ports) take a second line below it.
        let wide = servicesPaneIsWide(inner.w)
        let portsInRow = inner.w >= 55
        var lines: [(text: String, role: Role)] = []
        var selectedLine = 0
        let head = column("NAME", wide ? 16 : 13) + column("TYPE", 13)
        lines.append((head + (wide ? column("CLUSTER-IP", 16) + column("PORTS", 13) + "SELECTOR" : portsInRow ? column("CLUSTER-IP", 16) + "PORTS" : "CLUSTER-IP"), .dim))
        for (i, svc) in v.services.enumerated() {
            let selected = i == s.serviceIndex
            let role: Role = selected ? .selected : (svc.readyEndpoints == 0 && svc.type != .externalName ? .warn : .normal)
            let selector = svc.selector.isEmpty ? "<none>" : svc.selector
            let row = column(svc.name, wide ? 16 : 13) + column(svc.type.rawValue, 13) + (wide || portsInRow ? column(svc.clusterIP, 16) : svc.clusterIP)
            if wide {
                lines.append((row + column(svc.ports, 13) + selector, role))
                if selected { selectedLine = lines.count - 1 }
            } else {
                lines.append((row + (portsInRow ? svc.ports : ""), role))
                if selected {
                    // "selector" names the value when there is room; the value itself comes first.
                    let ports = portsInRow ? "" : svc.ports + "  "
                    let labelled = "  " + ports + "selector " + selector
                    lines.append((labelled.count <= inner.w ? labelled : "  " + ports + selector, role))
                    selectedLine = lines.count - 1
                }
            }
        }
        // The header stays; the rows scroll so the selection (and its second line) is on screen.
        let rows = inner.h - 1
        let first = max(0, min(selectedLine - rows, lines.count - 1 - rows))
        g.putFitted(inner.x, inner.y, lines[0].text, lines[0].role, width: inner.w)
        for (i, line) in lines.dropFirst(1 + first).prefix(rows).enumerated() {
            g.putFitted(inner.x, inner.y + 1 + i, pad(line.text, inner.w), line.role, width: inner.w)
        }
    }

    static func servicesPaneIsWide(_ innerWidth: Int) -> Bool { innerWidth >= 74 }

    /// Rows the Services pane needs: a header, a row a Service, and the selection's second line
    /// when the pane is not wide.
    static func servicesRows(_ v: LabView, paneWidth: Int) -> Int {
        v.services.count + 1 + (servicesPaneIsWide(paneWidth - 2) || v.services.isEmpty ? 0 : 1)
    }

    /// "12", or "first 2000 of 150000" when the pane lists only the first rows.
    /// The lesson box's height at most (a third of the screen, at least 8 rows).
    static func lessonBoxHeight(_ height: Int) -> Int { max(8, height / 3) }

    /// A lesson's lines wrapped to the box (what decides whether it fits).
    static func lessonText(_ lesson: LabState.Lesson, width: Int) -> [String] {
        lesson.lines.flatMap { wrap($0, width - 2, indent: "  ") }  // TextLayout.lessonLines at 80 columns
    }

    /// Whether the narration fits its box at this size (if not, the lab opens it full screen).
    public static func lessonFits(_ lesson: LabState.Lesson, width: Int, height: Int) -> Bool {
        lessonText(lesson, width: width).count <= lessonBoxHeight(height) - 2
    }

    static func shownOf(_ shown: Int, _ total: Int) -> String { total > shown ? "first \(shown) of \(total)" : "\(shown)" }

    static func podsPane(_ g: inout Grid, _ s: LabState, _ v: LabView, x: Int, y: Int, w: Int, h: Int, glyphs: Glyphs) {
        let title = "Pods (\(shownOf(v.pods.count, v.podCount)))" + (s.filter.isEmpty ? "" : " /\(s.filter)")
        let inner = g.box(x, y, w, h, title: title, focused: s.focus == .pods, glyphs: glyphs)
        let wide = inner.w >= 58
        let nameW = wide ? 24 : max(10, inner.w - 16)
        g.put(inner.x, inner.y, "  " + pad("NAME", nameW) + pad("RDY", 4) + (wide ? pad("STATUS", 12) + pad("IP", 12) + pad("NODE", 16) + "LABELS" : "IP/STATUS"), .dim, maxWidth: inner.w)
        let rows = inner.h - 1
        let first = max(0, min(s.podIndex - rows + 1, v.pods.count - rows))
        for (i, p) in v.pods.enumerated().dropFirst(max(0, first)).prefix(rows) {
            let row = inner.y + 1 + i - max(0, first)
            let mark = p.selected ? glyphs.selectedMark : glyphs.unselectedMark
            let pulse = s.pulses["pod:" + p.name]
            let pulseGlyph = pulse.map { $0.kind == .added ? glyphs.added : $0.kind == .changed ? glyphs.changed : glyphs.removed } ?? " "
            // Every column but the last keeps a one-cell gap: a long name never runs into RDY.
            var line = "\(mark)\(pulseGlyph)" + fitName(p.name, nameW - 1) + " " + column(p.ready, 4)
            if wide { line += column(p.status, 12) + column(p.ip, 12) + column(p.node, 16) + p.labels }
            else { line += p.status == "Running" ? p.ip : p.status }
            let role: Role
            if s.focus == .pods && i == s.podIndex { role = .selected }
            else if let pulse { role = pulse.kind == .added ? .added : .changed }
            else if p.status != "Running" { role = .warn }
            else { role = p.selected ? .ok : .dim }
            g.put(inner.x, row, pad(line, inner.w), role, maxWidth: inner.w)
        }
    }

    static func endpointsPane(_ g: inout Grid, _ s: LabState, _ v: LabView, x: Int, y: Int, w: Int, h: Int, glyphs: Glyphs) {
        let service = s.currentService(v) ?? "-"
        let ready = v.endpoints.filter { $0.state == .ready }.count
        let inner = g.box(x, y, w, h, title: "Endpoints of \(service) (\(ready) ready)", focused: s.focus == .endpoints, glyphs: glyphs)
        var lines: [(String, Role)] = []
        let multiPort = Set(v.endpoints.map(\.port)).count > 1
        let all = (v.endpoints.map { ($0, false) } + s.ghosts.map { ($0, true) }).sorted { ($0.0.port, $0.0.address) < ($1.0.port, $1.0.address) }
        for (e, ghost) in all {
            let pulse = s.pulses["ep:" + e.id]
            let state = ghost ? glyphs.removed : (e.state == .ready ? glyphs.ready : e.state == .notReady ? glyphs.notReady : glyphs.terminating)
            let mark = ghost ? glyphs.removed : pulse.map { $0.kind == .added ? glyphs.added : glyphs.changed } ?? " "
            // The port name only when the Service has several.
            let port = multiPort && !e.port.isEmpty ? "\(e.port) " : ""
            let role: Role = ghost ? .removed : pulse?.kind == .added ? .added : pulse?.kind == .changed ? .changed
                : (e.state == .ready ? .ok : .warn)
            let head = "\(mark)\(state) \(port)\(e.address) "
            lines.append((head + fitName(e.pod, max(0, inner.w - head.count)), role))
        }
        if v.endpoints.isEmpty && s.ghosts.isEmpty {
            lines.append(("  Endpoints: <none>", .error))
        }
        // A challenge with `diagnostics: off` is open: no finding, no reason a pod is left out.
        let hide = s.lesson?.hideDiagnostics == true
        for f in v.findings where !hide {
            for w in wrap("! " + f.text, inner.w, indent: "  ") { lines.append((w, f.advice ? .warn : .error)) }
        }
        if !v.leftOut.isEmpty {
            lines.append(("left out:", .dim))
            // Wrapped only as far as the pane can show (a thousand left-out pods cost a thousand
            // wraps a frame): once the scrolled-to window is full, the rest are off screen, and
            // the scroll below stays where it is, since the lines reach past it.
            let needed = s.endpointScroll + inner.h
            for l in v.leftOut where lines.count < needed {
                let text = hide ? "  \(glyphs.unselectedMark) \(l.pod)" : "  \(glyphs.unselectedMark) \(l.pod): \(l.reason)"
                for w in wrap(text, inner.w, indent: "      ") { lines.append((w, .warn)) }
            }
        }
        let scroll = max(0, min(s.endpointScroll, lines.count - inner.h))
        for (i, line) in lines.dropFirst(scroll).prefix(inner.h).enumerated() {
            g.putFitted(inner.x, inner.y + i, line.0, line.1, width: inner.w)
        }
    }

    static func tracePane(_ g: inout Grid, _ s: LabState, _ v: LabView, x: Int, y: Int, w: Int, h: Int, glyphs: Glyphs) {
        let showingTrace = !s.trace.isEmpty
        let inner = g.box(x, y, w, h, title: showingTrace ? s.traceTitle : "Events", focused: false, glyphs: glyphs)
        var raw = showingTrace ? s.trace : v.events.suffix(inner.h).map { TraceLine($0) }
        // Each line wraps under its own kind, so a continuation keeps the first row's colour.
        let wrapAll: ([TraceLine]) -> [TraceLine] = { $0.flatMap { line in wrap(line.text, inner.w, indent: "    ").map { TraceLine($0, line.kind) } } }
        var lines = wrapAll(raw)
        var hiddenNote: Int?
        if showingTrace && lines.count > inner.h, let verdict = raw.last {
            // Short of room: drop the routine hops first (tier 0: pods reached and replies; 1: a
            // Service's ready count; 2: NXDOMAINs on the way), the verdict always stays.
            raw.removeLast()
            // One row says what is hidden and where it is whole: nothing leaves silently.
            let whole = lines.count
            for tier in 0...2 where wrapAll(raw + [verdict]).count > inner.h - 1 { raw.removeAll { $0.kind == .routine(tier: tier) } }
            let tail = wrapAll([verdict])
            let kept = Array(wrapAll(raw).prefix(max(0, inner.h - 1 - tail.count)))
            hiddenNote = kept.count
            lines = kept + [TraceLine("… \(whole - kept.count - tail.count) lines hidden: o shows all")] + tail
        }
        let shown = lines.suffix(inner.h)
        for (i, line) in shown.enumerated() {
            let role: Role
            switch line.kind {
            case _ where hiddenNote.map({ shown.startIndex + i == $0 }) == true: role = .dim
            case .failure: role = .error
            case .success: role = .ok
            case .plain, .routine: role = .normal
            }
            g.putFitted(inner.x, inner.y + i, line.text, role, width: inner.w)
        }
    }

    static func footer(_ g: inout Grid, _ s: LabState, _ v: LabView, glyphs: Glyphs) {
        let detailRow = g.height - 2, hintRow = g.height - 1
        if let flash = s.flash {
            g.putFitted(0, detailRow, flash, flash.hasPrefix("error") ? .error : .accent, width: g.width)
        } else if s.focus == .pods, v.pods.indices.contains(s.podIndex) {
            let p = v.pods[s.podIndex]
            var col = g.putFitted(0, detailRow, "\(p.name): ", .dim, width: g.width)
            if p.terms.isEmpty { g.putFitted(col, detailRow, "the selected Service has no selector", .dim, width: g.width - col) }
            for t in p.terms where col < g.width {
                col = g.putFitted(col, detailRow, t.term + " " + (t.ok ? glyphs.ready : glyphs.notReady) + "  ", t.ok ? .ok : .error, width: g.width - col)
            }
        }
        if let prompt = s.prompt {
            g.fill(0, hintRow, g.width, 1, .prompt)
            let text = prompt.kind.rawValue + prompt.text
            // A line longer than the screen shows its end, where the cursor is.
            let shown = Grid.columns(of: text) < g.width ? text : "…" + String(text.suffix(g.width - 2))
            let end = g.put(0, hintRow, shown, .prompt)
            g.put(end, hintRow, "▏", .prompt)
            return
        }
        var col = 0
        for b in KeyTable.bindings {
            guard let hint = b.hint else { continue }
            if col + b.label.count + hint.count + 2 > g.width { break }
            col = g.put(col, hintRow, b.label, .accent)
            col = g.put(col, hintRow, " \(hint)  ", .dim)
        }
    }

    /// The output view: the whole screen below the header, scrollable both ways; prose wraps
    /// (tables and manifests are cut with … and scroll sideways), a manifest's keys coloured,
    /// marked lines highlighted, and where the view is in the text.
    static func overlay(_ g: inout Grid, _ panel: LabState.Panel, glyphs: Glyphs) {
        let x = 0, y = 1, w = g.width, h = g.height - 1
        g.fill(x, y, w, h, .normal)
        // The rows from the first line shown (`scroll` counts lines; a wrapped line takes several).
        var rows: [(line: Int, text: String)] = []
        var i = min(panel.scroll, max(0, panel.lines.count - 1))
        while rows.count < h - 2 && i < panel.lines.count {
            let raw = TextLayout.expandTabs(panel.lines[i])
            if panel.wraps(i) && Grid.columns(of: raw) > w - 2 {
                rows += TextLayout.wrap(raw, w - 2, indent: "    ").map { (i, $0) }
            } else {
                rows.append((i, String(raw.dropFirst(panel.column))))
            }
            i += 1
        }
        rows = Array(rows.prefix(h - 2))
        let first = min(panel.scroll, max(0, panel.lines.count - 1)) + 1
        let last = rows.last.map { $0.line + 1 } ?? first
        let position = last < panel.lines.count || first > 1 || panel.column > 0
            ? "  lines \(first)–\(last) of \(panel.lines.count)" + (panel.column > 0 ? ", from column \(panel.column + 1)" : "") : ""
        let inner = g.box(x, y, w, h, title: panel.title + position + "  (Esc closes)", focused: true, glyphs: glyphs)
        for (r, row) in rows.enumerated() {
            let line = row.text, at = inner.y + r
            if panel.highlight.contains(row.line) {
                g.putFitted(inner.x, at, pad(line, inner.w), .selected, width: inner.w)
            } else if panel.manifest?.contains(row.line) == true, let colon = line.firstIndex(of: ":") {
                // A manifest line: the key in the accent colour, the value plain.
                let end = g.putFitted(inner.x, at, String(line[...colon]), .accent, width: inner.w)
                g.putFitted(end, at, String(line[line.index(after: colon)...]), .normal, width: inner.w - (end - inner.x))
            } else {
                g.putFitted(inner.x, at, line, .normal, width: inner.w)
            }
        }
    }
}
