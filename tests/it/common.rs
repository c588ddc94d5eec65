//! Helpers shared by the integration tests: small hand-built scenarios and
//! shortcuts into a finished world.

use cimsim::scenario::{self, LoadedScenario, ScenarioSource};
use cimsim::sim::Simulation;

/// Loads RON text, panicking with every problem if it does not validate:
/// test scenarios are meant to be valid.
pub fn load(text: &str) -> LoadedScenario {
    let source = ScenarioSource {
        name: "test.ron".into(),
        text: text.into(),
    };
    match scenario::load(source) {
        Ok(l) => l,
        Err(problems) => panic!("test scenario does not validate: {problems:#?}\n{text}"),
    }
}

/// Runs a scenario for `days` days.
pub fn run(text: &str, seed: u64, days: u32) -> Simulation {
    let l = load(text);
    let mut sim = Simulation::new(&l.scenario, seed);
    sim.run_days(days);
    sim
}

/// Standards, weights, thresholds and a return and disease model in which
/// nobody moves: the rules of the small towns whose outcome a test knows.
pub const STILL_RULES: &str = "standards: (water_litres: 15.0, water_survival_litres: 7.5, food_kcal: 2100.0,
                food_survival_kcal: 1500.0, electricity_kwh: 2.0, people_per_toilet: 50.0, beds_per_10000: 18.0),
    weights: (food: 1.0, water: 1.0, electricity: 1.0, sanitation: 1.0, health: 1.0, displacement: 1.0),
    thresholds: (clearance: 0.1, security: 0.5),
    returns: (max_daily_rate: 0.0, security_weight: 0.3, services_weight: 0.3, housing_weight: 0.2,
              contamination_weight: 0.3, midpoint: 0.5, steepness: 8.0, perception_days: 14.0,
              uninhabitable_factor: 0.2, vulnerable_factor: 0.6, settling_days: 30,
              leave_uninhabitable_rate: 0.0, flight_security: 0.0, flight_rate: 0.0),
    disease: (base_rate: 0.00001, wash_rate: 0.001, illness_days: 10.0, treatment_effect: 0.5),";

/// `n` identical crews of one kind, as a RON crew group with its trailing
/// comma; nothing when `n` is 0.
pub fn crew_group(kind: &str, n: u32, rate: f64, daily_cost: f64) -> String {
    if n == 0 {
        String::new()
    } else {
        format!("(kind: {kind}, count: {n}, rate: {rate:?}, daily_cost: {daily_cost:?}),")
    }
}

/// Knobs of the one-district town used by the dependency tests.
pub struct Town {
    pub power_condition: f64,
    pub electricity_crews: u32,
    pub plant_condition: f64,
    pub plant_site_contamination: Option<f64>,
    pub clear_crews: u32,
    pub security: f64,
    pub secure_crews: u32,
    pub food_crews: u32,
}

impl Default for Town {
    fn default() -> Self {
        Town {
            power_condition: 1.0,
            electricity_crews: 0,
            plant_condition: 1.0,
            plant_site_contamination: None,
            clear_crews: 0,
            security: 0.9,
            secure_crews: 0,
            food_crews: 0,
        }
    }
}

/// One district of 6,000 people, a power station feeding a water plant, and
/// four agencies whose crews the test chooses.
pub fn town(t: &Town) -> String {
    let site = t
        .plant_site_contamination
        .map_or(String::new(), |c| format!("contamination: Some({c:?}),"));
    let crews = |kind: &str, n: u32, rate: f64| crew_group(kind, n, rate, 100.0);
    format!(
        r#"(
    format_version: 1,
    name: "town",
    title: "Test town",
    start_date: "2020-01-01",
    horizon_days: 60,
    {rules}
    districts: [
        (id: "centre", name: "Centre", prewar_population: 6000, homes: 1000, housing_damage: 0.0,
         contamination: 0.0, security: {security:?}),
    ],
    assets: [
        (id: "power", name: "Power station", kind: PowerStation, agency: "electricity", site: "centre",
         output: Some((service: Electricity, capacity: 12000.0)), serves: ["centre"],
         condition: {power:?}, repair_effort: 20.0, repair_cost: 1000.0, crew_slots: 4),
        (id: "plant", name: "Water plant", kind: WaterPlant, agency: "water", site: "centre",
         output: Some((service: Water, capacity: 90000.0)), serves: ["centre"],
         condition: {plant:?}, repair_effort: 20.0, repair_cost: 1000.0, crew_slots: 4,
         needs: [Service(Electricity)], {site}),
    ],
    agencies: [
        (id: "electricity", name: "Electricity", mandates: [Repair], crews: [{ecrews}],
         budget: 1000000.0, recheck_days: 5),
        (id: "water", name: "Water", mandates: [Repair], crews: [(kind: Repair, count: 2, rate: 1.0, daily_cost: 100.0)],
         budget: 1000000.0, recheck_days: 5),
        (id: "defence", name: "Defence", mandates: [Clear, Secure], crews: [{clear}{secure}],
         budget: 1000000.0, recheck_days: 5),
        (id: "migration", name: "Migration", mandates: [DistributeFood], crews: [{food}],
         stocks: (food: 1000000000.0), budget: 1000000.0, recheck_days: 5),
    ],
    population: [
        (origin: "centre", location: Home, households: 1000, mean_size: 6.0, vulnerable_share: 0.2),
    ],
)"#,
        rules = STILL_RULES,
        security = t.security,
        power = t.power_condition,
        plant = t.plant_condition,
        site = site,
        ecrews = crews("Repair", t.electricity_crews, 1.0),
        clear = crews("Clear", t.clear_crews, 0.05),
        secure = crews("Secure", t.secure_crews, 0.05),
        food = crews("DistributeFood", t.food_crews, 3_000_000.0),
    )
}

/// Today's service level of a service in district 0.
pub fn level(sim: &Simulation, service: cimsim::scenario::Service) -> f64 {
    sim.view().levels().q[0][service.index()]
}

/// Condition of the asset with dense index `ix`.
pub fn condition(sim: &Simulation, ix: u16) -> f64 {
    sim.view()
        .assets()
        .iter()
        .find(|a| a.asset.ix.get() == ix)
        .map_or(f64::NAN, |a| a.condition)
}

/// Path of the built binary.
pub fn bin() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_cimsim"))
}

/// One `cimsim` command line being built and run, as ripgrep's tests build
/// theirs: the arguments (a fixed part once, the varying part per test),
/// standard input, then what the test expects of it. `NO_COLOR` is set.
pub struct TestCommand {
    cmd: std::process::Command,
    stdin: Vec<u8>,
}

/// What a finished command gave.
pub struct Ran {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// `cimsim ARGS...`, to add to and run.
pub fn cmd(args: &[&str]) -> TestCommand {
    let mut cmd = bin();
    cmd.args(args).env("NO_COLOR", "1");
    TestCommand { cmd, stdin: Vec::new() }
}

impl TestCommand {
    pub fn arg(&mut self, arg: impl AsRef<std::ffi::OsStr>) -> &mut Self {
        self.cmd.arg(arg);
        self
    }

    pub fn args<S: AsRef<std::ffi::OsStr>>(&mut self, args: impl IntoIterator<Item = S>) -> &mut Self {
        self.cmd.args(args);
        self
    }

    /// Runs the command in `dir`.
    pub fn current_dir(&mut self, dir: impl AsRef<std::path::Path>) -> &mut Self {
        self.cmd.current_dir(dir);
        self
    }

    /// Lines for standard input, each ended by a newline.
    pub fn lines(&mut self, lines: &[&str]) -> &mut Self {
        for line in lines {
            self.stdin.extend_from_slice(line.as_bytes());
            self.stdin.push(b'\n');
        }
        self
    }

    /// Runs the command to its end, feeding its input from a thread so
    /// that a child answering as it reads never waits on the test.
    pub fn run(&mut self) -> Ran {
        use std::io::Write as _;
        use std::process::Stdio;
        let mut child = self
            .cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary runs");
        let mut pipe = child.stdin.take().expect("stdin is piped");
        let input = std::mem::take(&mut self.stdin);
        let feeder = std::thread::spawn(move || {
            let _ = pipe.write_all(&input);
        });
        let out = child.wait_with_output().expect("the binary runs");
        feeder.join().expect("the feeder does not panic");
        Ran {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }

    /// Starts the command with its stdin piped (for the test to write and
    /// close) and stdout and stderr as given, for a test that kills it.
    pub fn spawn_with(&mut self, stdout: std::process::Stdio, stderr: std::process::Stdio) -> std::process::Child {
        self.cmd
            .stdin(std::process::Stdio::piped())
            .stdout(stdout)
            .stderr(stderr)
            .spawn()
            .expect("the binary runs")
    }

    /// Runs the command, asserts it succeeded, and returns its stdout.
    pub fn stdout(&mut self) -> String {
        let ran = self.run();
        assert_eq!(ran.code, 0, "{:?}: {}", self.cmd, ran.stderr);
        ran.stdout
    }

    /// Runs the command, asserts it succeeded, and parses its stdout as a
    /// JSON document.
    pub fn json(&mut self) -> serde_json::Value {
        let out = self.stdout();
        serde_json::from_str(&out).unwrap_or_else(|e| panic!("{:?}: not JSON ({e}): {out}", self.cmd))
    }

    /// Runs the command, asserts it exited with `code`, and returns its
    /// stderr.
    pub fn fails(&mut self, code: i32) -> String {
        let ran = self.run();
        assert_eq!(ran.code, code, "{:?}: {}", self.cmd, ran.stderr);
        ran.stderr
    }
}

impl Ran {
    /// (exit code, stdout, stderr), as the older tests take it.
    pub fn parts(self) -> (i32, String, String) {
        (self.code, self.stdout, self.stderr)
    }
}

/// Runs the binary with `NO_COLOR` set: (exit code, stdout, stderr).
pub fn cimsim(args: &[&str]) -> (i32, String, String) {
    cmd(args).run().parts()
}

/// Runs the binary as [`cimsim`] does, but with its address space limited to
/// `mib` MiB (`ulimit -v`), `stdin` on its standard input, and killed after
/// `secs` seconds: an input that makes it allocate without bound aborts or
/// is killed instead of passing, so a refusal that comes only after a huge
/// allocation fails the test. The time limit guards against a hang; it is
/// not a measurement.
pub fn cimsim_bounded(args: &[&str], stdin: &[u8], mib: u64, secs: u64) -> (i32, String, String) {
    use std::io::Write as _;
    let mut child = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -v {} && exec \"$0\" \"$@\"", mib * 1024))
        .arg(env!("CARGO_BIN_EXE_cimsim"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("sh runs");
    let mut pipe = child.stdin.take().expect("stdin is piped");
    let input = stdin.to_vec();
    // A child that stops reading (it refused the input) closes the pipe:
    // the writer's error is expected then.
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(&input);
    });
    let (stdout, stderr) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let read = |mut r: Box<dyn std::io::Read + Send>| {
        std::thread::spawn(move || {
            let mut s = Vec::new();
            let _ = r.read_to_end(&mut s);
            String::from_utf8_lossy(&s).into_owned()
        })
    };
    let (out, err) = (read(Box::new(stdout)), read(Box::new(stderr)));
    // Polls counted, not a clock: the tests read no wall clock.
    let mut polls = secs * 50;
    let status = loop {
        if let Some(status) = child.try_wait().expect("the child can be waited for") {
            break status;
        }
        polls = polls.saturating_sub(1);
        if polls == 0 {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "cimsim {args:?} was still running after {secs} s: {}",
                err.join().unwrap()
            );
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    let _ = writer.join();
    (status.code().unwrap_or(-1), out.join().unwrap(), err.join().unwrap())
}

/// A JSON number as the summaries print it: rounded, thousands separated
/// by commas (`54,416,292`).
pub fn thousands(x: &serde_json::Value) -> String {
    let s = (x.as_f64().unwrap().round() as i64).to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
