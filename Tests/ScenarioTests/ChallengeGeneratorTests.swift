import Scenario
import Testing

/// Issue 14 (9): generated challenges — same seed, same fault; seeds 1–50 cover every class;
/// each replays green with its solution and fails without it.
struct ChallengeGeneratorTests {
    /// Instructors grade by seed: this table must not change.
    @Test func seedsMapToFaultsAsPinned() {
        let pinned: [ChallengeGenerator.Fault] = [.selectorTypo, .missingLabel, .labelOnOneOfTwo, .wrongTargetPort,
                                                  .misnamedTargetPort, .failingReadinessProbe, .wrongNamespaceInDNS, .swappedPorts]
        for seed in UInt64(1)...50 {
            #expect(ChallengeGenerator.fault(seed: seed) == pinned[Int((seed - 1) % 8)], "seed \(seed)")
        }
        #expect(Set((UInt64(1)...50).map(ChallengeGenerator.fault)) == Set(ChallengeGenerator.Fault.allCases))
        #expect(ChallengeGenerator.scenario(seed: 17) == ChallengeGenerator.scenario(seed: 17))
        #expect(ChallengeGenerator.scenario(seed: 1).hasPrefix("title: \"Generated challenge, seed 1: selector typo\""))
    }

    @Test(arguments: Array(UInt64(1)...50))
    func replaysGreenAndFailsWithoutItsSolution(_ seed: UInt64) throws {
        let text = ChallengeGenerator.scenario(seed: seed)
        let green = try ScenarioRunner(try ScenarioParser.parse(text, path: "challenge-\(seed).yaml")).replay()
        #expect(green.failures == 0, "seed \(seed):\n\(green.transcript)")
        let unsolved = try ScenarioRunner(try ScenarioParser.parse(text, path: "challenge-\(seed).yaml")).replay(solutions: false)
        #expect(unsolved.failures > 0, "seed \(seed) passes without its solution")
    }
}
