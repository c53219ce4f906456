import Synchronization
import CNcurses
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Set by SIGTERM/SIGHUP (and SIGINT, should one arrive outside raw mode): the loop ends and
/// the terminal is restored on the normal path.
private let stopSignal = Atomic<Int32>(0)
/// Whether curses is active, so a crash handler knows to call endwin().
private let cursesActive = Atomic<Int32>(0)
/// While curses owns the screen, stderr goes to a temporary file (a Swift runtime error would
/// otherwise be written over the screen and lost). On restore — normal or from a crash
/// handler — the real stderr comes back and what was written there is shown.
nonisolated(unsafe) private var savedStderr: Int32 = -1
nonisolated(unsafe) private var capturedStderr: Int32 = -1

/// Puts stderr back and copies what was captured to it. Only async-signal-safe calls: it also
/// runs inside the crash handler.
private func releaseStderr() {
    guard savedStderr >= 0 else { return }
    dup2(savedStderr, 2)
    close(savedStderr)
    savedStderr = -1
    if capturedStderr >= 0 {
        lseek(capturedStderr, 0, SEEK_SET)
        var buffer = (0 as UInt64, 0 as UInt64, 0 as UInt64, 0 as UInt64, 0 as UInt64, 0 as UInt64, 0 as UInt64, 0 as UInt64,
                      0 as UInt64, 0 as UInt64, 0 as UInt64, 0 as UInt64, 0 as UInt64, 0 as UInt64, 0 as UInt64, 0 as UInt64)
        withUnsafeMutableBytes(of: &buffer) { raw in
            while true {
                let n = read(capturedStderr, raw.baseAddress, raw.count)
                if n <= 0 { break }
                _ = write(2, raw.baseAddress, n)
            }
        }
        close(capturedStderr)
        capturedStderr = -1
    }
}

/// The real terminal: ncursesw in raw mode, drawing a `Grid` with a theme that maps roles to
/// colours (or to attributes only under NO_COLOR or on a monochrome terminal).
public final class NcursesTerminal: LabTerminal {
    private let window: UnsafeMutablePointer<WINDOW>
    private let colors: Bool
    /// Without a UTF-8 locale (LANG=C) no multibyte character may reach the screen: the glyph
    /// table is ASCII already, and any other text (output, lesson prose) is folded here.
    private let asciiOnly: Bool
    private var attributes: [Role: Int32] = [:]

    /// Whether the locale can show UTF-8 box drawing (decides `Glyphs.unicode` vs `.ascii`).
    public static func localeIsUTF8() -> Bool {
        _ = svclab_setlocale_all()
        let codeset = String(cString: nl_langinfo(nl_item(CODESET)))
        return codeset.uppercased().replacingOccurrences(of: "-", with: "") == "UTF8"
    }

    public init?() {
        _ = svclab_setlocale_all()
        // Our handlers first: ncurses' own SIGINT handler would _exit without restoring anything.
        Self.installSignalHandlers()
        Self.captureStderr()
        guard let w = initscr() else { releaseStderr(); return nil }
        window = w
        asciiOnly = !Self.localeIsUTF8()
        cursesActive.store(1, ordering: .relaxed)
        raw()
        noecho()
        keypad(w, true)
        set_escdelay(25)
        curs_set(0)
        wtimeout(w, 100)
        colors = has_colors() && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        if colors {
            start_color()
            use_default_colors()
        }
        setupTheme()
    }

    deinit { restore() }

    /// Leaves curses (idempotent): the shell gets its terminal back.
    public func restore() {
        guard cursesActive.exchange(0, ordering: .relaxed) != 0 else { return }
        endwin()
        releaseStderr()
    }

    /// stderr into an unlinked temporary file until `restore`.
    static func captureStderr() {
        var template = Array("/tmp/svclab-stderr-XXXXXX".utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        savedStderr = dup(2)
        capturedStderr = fd
        dup2(fd, 2)
    }

    public var stopRequested: Bool { stopSignal.load(ordering: .relaxed) != 0 }

    public var size: (width: Int, height: Int) { (Int(getmaxx(window)), Int(getmaxy(window))) }

    /// A colour-blind-safe palette (blue/orange rather than red/green alone), with attributes
    /// that carry the meaning when colour is off.
    private func setupTheme() {
        let table: [(Role, Int16, Int32)] = [
            (.normal, -1, 0), (.dim, -1, svclab_a_dim()), (.accent, Int16(COLOR_CYAN), 0),
            (.header, -1, svclab_a_reverse()), (.title, Int16(COLOR_CYAN), svclab_a_bold()),
            (.ok, Int16(COLOR_BLUE), 0), (.warn, Int16(COLOR_YELLOW), 0), (.error, Int16(COLOR_RED), svclab_a_bold()),
            (.added, Int16(COLOR_GREEN), svclab_a_bold()), (.changed, Int16(COLOR_MAGENTA), svclab_a_bold()),
            (.removed, Int16(COLOR_RED), svclab_a_dim()), (.selected, -1, svclab_a_reverse()), (.prompt, -1, svclab_a_reverse()),
            (.live, Int16(COLOR_RED), svclab_a_reverse() | svclab_a_bold()),
        ]
        for (i, (role, fg, attr)) in table.enumerated() {
            var value = attr
            if colors && fg >= 0 {
                init_pair(Int16(i + 1), fg, -1)
                value |= svclab_color_pair(Int32(i + 1))
            }
            attributes[role] = value
        }
    }

    public func draw(_ grid: Grid) {
        werase(window)
        for y in 0..<grid.height {
            var x = 0
            while x < grid.width {
                // A run of cells with one role is one write.
                let role = grid[x, y].role
                var text = ""
                var end = x
                while end < grid.width && grid[end, y].role == role { text += grid[end, y].text; end += 1 }
                if asciiOnly { text = ASCIIFold.fold(text) }
                let attr = attributes[role] ?? 0
                wattr_on(window, attr_t(UInt32(bitPattern: attr)), nil)
                // The last cell of the screen cannot be written without scrolling: stop one short.
                if y == grid.height - 1 && end == grid.width && !text.isEmpty { text.removeLast() }
                _ = mvwaddstr(window, Int32(y), Int32(x), text)
                wattr_off(window, attr_t(UInt32(bitPattern: attr)), nil)
                x = end
            }
        }
        wrefresh(window)
    }

    public func nextInput(timeoutMillis: Int) -> TerminalInput? {
        wtimeout(window, Int32(timeoutMillis))
        var ch: wint_t = 0
        let r = svclab_get_wch(&ch)
        if r == ERR { return nil }
        if r == svclab_key_code_yes() {
            switch Int32(ch) {
            case svclab_key_resize(): return .resize
            case svclab_key_up(): return .key(.up)
            case svclab_key_down(): return .key(.down)
            case svclab_key_left(): return .key(.left)
            case svclab_key_right(): return .key(.right)
            case svclab_key_ppage(): return .key(.pageUp)
            case svclab_key_npage(): return .key(.pageDown)
            case svclab_key_btab(): return .key(.backTab)
            case svclab_key_backspace(): return .key(.backspace)
            case svclab_key_enter(): return .key(.enter)
            default: return nil
            }
        }
        switch ch {
        case 3: return .key(.ctrl("c"))
        case 9: return .key(.tab)
        case 10, 13: return .key(.enter)
        case 27: return .key(.escape)
        case 8, 127: return .key(.backspace)
        case 1...26: return .key(.ctrl(Character(UnicodeScalar(UInt8(ch) + 96))))
        default:
            guard let scalar = UnicodeScalar(UInt32(ch)) else { return nil }
            return .key(.char(Character(scalar)))
        }
    }

    static func installSignalHandlers() {
        // The loop notices these within 100 ms, and a long action polls for them
        // (Cluster.interrupt), so they act at once and the terminal is restored on the normal path.
        for s in [SIGTERM, SIGHUP, SIGINT] {
            signal(s) { _ in stopSignal.store(1, ordering: .relaxed) }
        }
        // SIGQUIT (Ctrl-\\ outside raw mode, or kill -QUIT) quits at once with the terminal
        // restored — no interactive crash reporter drawn over the screen.
        signal(SIGQUIT) { sig in
            if cursesActive.exchange(0, ordering: .relaxed) != 0 { endwin() }
            releaseStderr()
            _exit(128 + sig)
        }
        // A crash (and every other default-fatal signal that can be caught) leaves a readable
        // terminal and says why — the runtime's message was captured — then dies as it would have.
        for s in [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE, SIGUSR1, SIGUSR2, SIGALRM, SIGVTALRM, SIGPROF,
                  SIGXCPU, SIGXFSZ, SIGSYS, SIGPIPE, SIGSTKFLT, SIGPWR] {
            signal(s) { sig in
                if cursesActive.exchange(0, ordering: .relaxed) != 0 { endwin() }
                releaseStderr()
                let message = "svclab: stopped by signal \(sig); the terminal has been restored.\n"
                message.withCString { _ = write(2, $0, strlen($0)) }
                signal(sig, SIG_DFL)
                raise(sig)
            }
        }
        var set = sigset_t()
        sigemptyset(&set)
        for s in [SIGTERM, SIGHUP, SIGINT, SIGQUIT] { sigaddset(&set, s) }
        sigprocmask(SIG_UNBLOCK, &set, nil)
    }
}

/// A terminal in memory: fed keys, keeps the last frame (tests, and the `--dump` mode).
public final class MemoryTerminal: LabTerminal {
    public var size: (width: Int, height: Int)
    public private(set) var frames: [Grid] = []
    public var inputs: [TerminalInput?]
    public var stopRequested: Bool { inputs.isEmpty }

    public init(width: Int = 80, height: Int = 24, inputs: [TerminalInput?] = []) {
        size = (width, height)
        self.inputs = inputs
    }

    public var last: Grid? { frames.last }
    public func draw(_ grid: Grid) { frames.append(grid) }
    public func nextInput(timeoutMillis: Int) -> TerminalInput? {
        inputs.isEmpty ? nil : inputs.removeFirst()
    }
}

/// One ASCII character for each non-ASCII one, so a cell stays a cell.
enum ASCIIFold {
    static let table: [Character: Character] = [
        "→": ">", "←": "<", "↑": "^", "↓": "v", "✓": "+", "✗": "x", "✔": "+", "✘": "x", "…": ".", "•": "*", "●": "*", "○": "o",
        "─": "-", "━": "-", "│": "|", "┃": "|", "┌": "+", "┐": "+", "└": "+", "┘": "+", "├": "+", "┤": "+", "┬": "+", "┴": "+", "┼": "+",
        "╭": "+", "╮": "+", "╰": "+", "╯": "+", "▶": ">", "◀": "<", "×": "x", "·": ".", "—": "-", "–": "-", "“": "\"", "”": "\"", "‘": "'", "’": "'",
        "µ": "u", "≥": ">", "≤": "<", "█": "#", "▌": "|", "░": ".",
    ]

    static func fold(_ text: String) -> String {
        guard !text.utf8.allSatisfy({ $0 < 0x80 }) else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for c in text {
            if c.isASCII { out.append(c) } else { out.append(table[c] ?? "?") }
        }
        return out
    }
}
