//! The console's commands: what each line a player or the facilitator
//! types does to the session, and the help that lists them.

use super::{Answer, Fault, Session};
use crate::record::{self, Input};
use crate::report::console::play::{agency_detail, asset_detail, crew_detail, district_detail, turn_report};
use crate::scenario;

impl Session {
    /// Runs one command line.
    // Long because: one arm per console command (18), each only reading
    // its words into an input or a question; the work is in the methods.
    pub fn command(&mut self, line: &str) -> Result<Answer, Fault> {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            return Ok(Answer::Data(String::new()));
        }
        let (word, rest) = line.split_once(char::is_whitespace).unwrap_or((line, ""));
        let rest = rest.trim();
        let args: Vec<&str> = rest.split_whitespace().collect();
        let day = self.day();
        let word = word.to_lowercase();
        let usage = |cmd: &str| Answer::Refused(format!("usage: {}", help_of(cmd).map_or("", |h| h.0)));
        Ok(match word.as_str() {
            "help" | "?" => Answer::Data(help(args.first().copied())),
            "quit" | "exit" => Answer::Quit,
            "advance" => return self.advance(&args),
            "status" => Answer::Data(self.status(args.first().copied())),
            "orders" => Answer::Data(self.orders()),
            "score" => Answer::Data(self.score()),
            "undo" => return self.undo(),
            "save" => return self.save(args.first().copied()),
            "assign" => match args[..] {
                [crew, target] => {
                    if let Some(why) = self.unknown_place(target) {
                        return Ok(Answer::Refused(why));
                    }
                    return self.order(Input::Assign {
                        day,
                        crew: crew.to_string(),
                        target: target.to_string(),
                    });
                }
                _ => usage("assign"),
            },
            "stop" => match args[..] {
                [crew] => {
                    return self.order(Input::Stop {
                        day,
                        crew: crew.to_string(),
                    });
                }
                _ => usage("stop"),
            },
            "release" => match args[..] {
                [crew] => {
                    return self.order(Input::Release {
                        day,
                        crew: crew.to_string(),
                    });
                }
                _ => usage("release"),
            },
            "strategy" => match args[..] {
                [agency, strategy] => {
                    return self.order(Input::Strategy {
                        day,
                        agency: Some(agency.to_string()),
                        strategy: strategy.to_string(),
                    });
                }
                _ => usage("strategy"),
            },
            "standing" => match args[..] {
                [agency, how @ ("on" | "off")] => {
                    return self.order(Input::Standing {
                        day,
                        agency: agency.to_string(),
                        on: how == "on",
                    });
                }
                _ => usage("standing"),
            },
            "request" => match request_args(&args) {
                Ok((from, to, ask, target, channel)) => {
                    if let Err(e) = record::parse_ask(ask).and(record::parse_channel(channel)) {
                        Answer::Refused(e)
                    } else {
                        return self.order(Input::Request {
                            day,
                            from: from.to_string(),
                            to: to.to_string(),
                            ask: ask.to_string(),
                            target: target.to_string(),
                            channel: channel.to_string(),
                        });
                    }
                }
                Err(()) => usage("request"),
            },
            "answer" => match args[..] {
                [id, verdict] => {
                    let id = id.trim_start_matches('#');
                    match (id.parse::<u64>(), verdict) {
                        (Ok(request), "accept" | "refuse") => {
                            return self.order(Input::Answer {
                                day,
                                request,
                                accept: verdict == "accept",
                            });
                        }
                        (Err(_), _) => Answer::Refused(format!("`{id}` is not a request number")),
                        _ => Answer::Refused(format!("answer `accept` or `refuse`, not `{verdict}`")),
                    }
                }
                _ => usage("answer"),
            },
            "share" => match args[..] {
                [from, to] => {
                    return self.order(Input::Share {
                        day,
                        from: from.to_string(),
                        to: to.to_string(),
                    });
                }
                _ => usage("share"),
            },
            "liaison" => match args[..] {
                [by, with] => {
                    return self.order(Input::Liaison {
                        day,
                        by: by.to_string(),
                        with: with.to_string(),
                    });
                }
                _ => usage("liaison"),
            },
            "authorise" | "authorize" => match args[..] {
                [agency, district] => {
                    return self.order(Input::Authorise {
                        day,
                        agency: agency.to_string(),
                        district: district.to_string(),
                    });
                }
                _ => usage("authorise"),
            },
            "cell" => match args[..] {
                [how @ ("join" | "leave"), agency] => return self.cell(how == "join", agency),
                _ => usage("cell"),
            },
            "inject" => {
                if rest.is_empty() {
                    usage("inject")
                } else {
                    return self.inject(rest);
                }
            }
            other => {
                let hint = scenario::did_you_mean(other, &COMMANDS.map(|c| c.0))
                    .map_or_else(|| "; `help` lists the commands".to_string(), |s| format!("; {s}"));
                Answer::Refused(format!("unknown command `{other}`{hint}"))
            }
        })
    }

    fn advance(&mut self, args: &[&str]) -> Result<Answer, Fault> {
        let days = match args {
            [] => self.turn_days,
            [n] => match n.parse::<u32>() {
                Ok(n) if n >= 1 => n,
                _ => return Ok(Answer::Refused(format!("`{n}` is not a number of days (1 or more)"))),
            },
            _ => return Ok(Answer::Refused("usage: advance [DAYS]".to_string())),
        };
        let horizon = self.sim.horizon();
        if self.day() >= horizon {
            return Ok(Answer::Refused(format!(
                "the scenario's last day ({}) has been simulated; `quit` ends the exercise",
                horizon - 1
            )));
        }
        let days = days.min(horizon - self.day());
        let from = self.day();
        let mut lines = record::to_line(&record::current::Line::Advance(record::Advance { day: from }));
        for _ in 0..days {
            self.sim.step();
            let row = record::day_row(&self.sim);
            lines.push_str(&record::to_line(&record::current::Line::Day(row.clone())));
            self.rows.push(row);
        }
        self.journal.append(lines.as_bytes())?;
        self.advances.push(from);
        Ok(Answer::Advanced {
            first: self.day() - days,
            last: self.day() - 1,
            report: self.open_turn(),
        })
    }

    /// Why `id` can be no crew's target: it names no district, asset or
    /// agency (with the closest that does); `None` when it names one.
    fn unknown_place(&self, id: &str) -> Option<String> {
        let view = self.sim.view();
        let names = view.names();
        if names.district(id).is_some() || names.asset(id).is_some() || names.agency(id).is_some() {
            return None;
        }
        Some(format!("no district, asset or agency `{id}`{}", place_hint(names, id)))
    }

    fn status(&mut self, what: Option<&str>) -> String {
        let names = self.sim.view().names().clone();
        match what {
            None => {
                if self.rows.is_empty() {
                    let turn = self.turn_context(0);
                    return "No day has been simulated yet: the scenario's starting state.\n".to_string()
                        + &turn_report(&self.sim.view(), &turn, &self.before.clone());
                }
                let s = &self.scenario.scenario;
                crate::report::console::replay::situation(&self.sim.view(), &s.name, &s.start_date)
            }
            Some(id) => {
                if let Some(d) = names.district(id) {
                    district_detail(&self.sim.view(), d)
                } else if let Some(a) = names.agency(id) {
                    agency_detail(&self.sim.view(), a)
                } else if let Some(x) = names.asset(id) {
                    asset_detail(&self.sim.view(), x)
                } else if let Some(c) = names.crew(id) {
                    crew_detail(&self.sim.view(), c)
                } else {
                    format!("no district, agency or asset `{id}`{}\n", place_hint(&names, id))
                }
            }
        }
    }

    /// The orders and injects given this turn, in order: what `undo` takes
    /// back from the last.
    fn orders(&self) -> String {
        let day = self.day();
        let given: Vec<String> = record::effective(&self.inputs)
            .unwrap_or_default()
            .iter()
            .filter(|i| i.day() == day && !matches!(i, Input::Human { .. }))
            .map(record::describe)
            .collect();
        if given.is_empty() {
            return format!("No order or inject given for day {day} yet.\n");
        }
        let mut out = format!("Given for day {day} (`undo` takes back the last):\n");
        for (n, g) in given.iter().enumerate() {
            out.push_str(&format!("  {}. {g}\n", n + 1));
        }
        out
    }

    fn undo(&mut self) -> Result<Answer, Fault> {
        let day = self.day();
        let effective = record::effective(&self.inputs).unwrap_or_default();
        let Some(last) = effective
            .iter()
            .rev()
            .find(|i| i.day() == day && !matches!(i, Input::Human { .. }))
            .cloned()
        else {
            return Ok(Answer::Refused(
                "nothing to undo: no order or inject has been given this turn".to_string(),
            ));
        };
        self.journal(&Input::Undo { day })?;
        self.sim = self.rebuild()?;
        Ok(Answer::Done(format!("took back: {}", record::describe(&last))))
    }

    /// `cell join|leave`: the strategy to switch to is the engine's rule
    /// (`sim::inputs::cell_strategy`); the order is a change of strategy.
    fn cell(&mut self, join: bool, agency: &str) -> Result<Answer, Fault> {
        let day = self.day();
        match self.sim.cell_strategy(agency, join) {
            Ok(strategy) => self.order(Input::Strategy {
                day,
                agency: Some(agency.to_string()),
                strategy,
            }),
            Err(e) => Ok(Answer::Refused(self.explain(e))),
        }
    }

    fn inject(&mut self, text: &str) -> Result<Answer, Fault> {
        let day = self.day();
        let dated = text
            .split_once(':')
            .is_some_and(|(d, _)| !d.trim().is_empty() && d.trim().chars().all(|c| c.is_ascii_digit()));
        let text = if dated {
            text.to_string()
        } else {
            format!("{day}:{text}")
        };
        let parsed = match record::parse_inject(&text, &self.scenario.scenario) {
            Ok(i) => i,
            Err(e) => return Ok(Answer::Refused(e.replacen("--inject", "inject", 1))),
        };
        let Input::Inject { day: at, effect } = parsed else {
            return Ok(Answer::Refused("not an inject".to_string()));
        };
        let input = match at.cmp(&day) {
            std::cmp::Ordering::Less => {
                return Ok(Answer::Refused(format!(
                    "day {at} has passed (today is day {day}); inject now with `inject EFFECT`"
                )));
            }
            std::cmp::Ordering::Equal => Input::Inject { day, effect },
            std::cmp::Ordering::Greater => Input::Later { day, at, effect },
        };
        self.order(input)
    }

    fn save(&mut self, to: Option<&str>) -> Result<Answer, Fault> {
        Ok(match self.journal.save_copy(to)? {
            Ok(done) => Answer::Done(done),
            Err(why) => Answer::Refused(why),
        })
    }
}

/// `; did you mean `X`?` for the district, agency or asset id closest to
/// `id`, or nothing when none is close.
fn place_hint(names: &crate::sim::setup::Names, id: &str) -> String {
    let mut all: Vec<&str> = names.districts.iter().map(String::as_str).collect();
    all.extend(names.agencies.iter().map(String::as_str));
    all.extend(names.assets.iter().map(String::as_str));
    scenario::did_you_mean(id, &all).map_or(String::new(), |s| format!("; {s}"))
}

/// `FROM TO ASK [TARGET] [via CHANNEL]`.
fn request_args<'a>(args: &[&'a str]) -> Result<(&'a str, &'a str, &'a str, &'a str, &'a str), ()> {
    let (words, channel) = match args {
        [w @ .., "via", c] => (w, *c),
        w => (w, "formal"),
    };
    match words {
        [from, to, ask, target] => Ok((from, to, ask, target, channel)),
        [from, to, ask] if *ask == "fuel" => Ok((from, to, ask, "", channel)),
        _ => Err(()),
    }
}

/// Every command: its usage line and what it does.
pub const COMMANDS: [(&str, &str, &str); 19] = [
    (
        "assign",
        "assign CREWS TARGET",
        "Order a player's crews to work on TARGET from today until the work is done (then they go back to the standing orders) or they get another order. CREWS is one crew id, a range `water-repair-2..4`, a group `water-repair-*` (every crew whose id starts so), or a comma-separated list of these; a group skips its lost crews. Repair crews take one of their agency's assets, clearance crews a district (or an asset whose site has hazards of its own), fuel crews another agency, all other crews a district. `status AGENCY` lists the crews by id.",
    ),
    (
        "stop",
        "stop CREWS",
        "Order a player's crews to stop work and stand idle until ordered again or released.",
    ),
    (
        "release",
        "release CREWS",
        "Hand a player's crews back to the standing orders: they follow the agency's strategy again.",
    ),
    (
        "standing",
        "standing AGENCY on|off",
        "A player's agency's standing orders: `on` (the start) lets its strategy run every crew no order holds; `off` leaves a crew without an order idle. The standing orders follow the agency's strategy (`status AGENCY`; `strategy` changes it).",
    ),
    (
        "strategy",
        "strategy AGENCY NAME",
        "From today AGENCY follows the strategy NAME (`silo`, `liaison`, `cell`, `central` or one of the scenario's): for a player's agency, what its standing orders do and which channels it has.",
    ),
    (
        "request",
        "request FROM TO ASK TARGET [via formal|liaison|cell]",
        "The player's agency FROM asks TO for ASK: `clearance` or `escort` at a district or asset, `fuel` (no TARGET: for FROM itself), or a service (`electricity`, `water`, ...) for the asset that waits for it. Formal requests take days and are often ignored; a liaison link (`liaison`) answers fast and usually yes; in the coordination cell (`cell join`) the answer comes the same day. An agency played by a person answers with `answer`.",
    ),
    (
        "answer",
        "answer REQUEST accept|refuse",
        "A player's agency answers a request addressed to it, by its number (#N in the turn report), once it has reached it.",
    ),
    (
        "share",
        "share FROM TO",
        "The player's agency FROM tells TO what it knows (hazards, security, services, its assets and repair plans), once.",
    ),
    (
        "liaison",
        "liaison FROM TO",
        "The player's agency FROM posts a liaison officer with TO: a direct link once the officer is in place, paid in FROM's staff time.",
    ),
    (
        "authorise",
        "authorise AGENCY DISTRICT",
        "The player's agency AGENCY, one of the authorities, opens DISTRICT (closed to returns) to returns, when what it knows shows it cleared and secure; the refusal says what its picture shows. Agencies played by their strategy authorise by themselves on the same conditions.",
    ),
    (
        "cell",
        "cell join|leave AGENCY",
        "A player's agency joins the coordination cell (a common picture, requests answered the same day, a joint plan; it costs staff time) or leaves it.",
    ),
    (
        "inject",
        "inject EFFECT | inject DAY:EFFECT",
        "The facilitator's inject, now or at the start of a later day. EFFECT is a scenario inject effect in RON, e.g. `inject Minefield(district: \"old-city\", contamination: 0.5)` or `inject 30:Heatwave(water_factor: 1.5, days: 10)`. Kinds: Sabotage, Blockade, DiseaseOutbreak, FuelShortage, CrewAttack, Displacement, Heatwave, BudgetFreeze, Funding, CloseCamp, Minefield, LiaisonPosted, LiaisonEnded, Workshop (docs/scenario-format.md).",
    ),
    (
        "advance",
        "advance [DAYS]",
        "Simulate DAYS days (the turn length by default) and open the next turn with its situation report.",
    ),
    (
        "status",
        "status [DISTRICT|AGENCY|ASSET]",
        "The situation now; or one district (people, ground, services, assets), one agency (its crews by id and what they do, its requests, its links) or one asset (condition, output and what holds it back, its site, the crews on it).",
    ),
    ("orders", "orders", "The orders and injects given this turn, in order."),
    (
        "score",
        "score",
        "The cooperation figures so far, against the silo and central references on the same seed and injects.",
    ),
    ("undo", "undo", "Take back the last order or inject given this turn."),
    (
        "save",
        "save [FILE]",
        "Write a closed copy of the exercise so far (JOURNAL.saved by default) that `cimsim replay` verifies. The journal itself is always up to date.",
    ),
    (
        "quit",
        "quit",
        "End the exercise: close the journal and print the summary (the end of input does the same).",
    ),
];

fn help_of(cmd: &str) -> Option<(&'static str, &'static str)> {
    COMMANDS.iter().find(|c| c.0 == cmd).map(|c| (c.1, c.2))
}

pub fn help(cmd: Option<&str>) -> String {
    match cmd {
        Some(c) => match help_of(c) {
            Some((usage, what)) => format!("{usage}\n{}", crate::report::text::wrap(what, "  ", "  ")),
            None => {
                let hint = scenario::did_you_mean(c, &COMMANDS.map(|c| c.0)).map_or(String::new(), |s| format!(" {s}"));
                format!("no command `{c}`.{hint}\n")
            }
        },
        None => {
            let mut out = String::from("Commands (`help COMMAND` for more):\n");
            for (_, usage, what) in COMMANDS {
                let first = what.split(". ").next().unwrap_or(what).trim_end_matches('.');
                out.push_str(&format!("  {usage}\n"));
                out.push_str(&crate::report::text::wrap(first, "      ", "      "));
            }
            out.push_str("  help [COMMAND]\n");
            out
        }
    }
}
