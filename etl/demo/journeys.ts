/**
 * The family journey simulation: what happens to one family's children between the simulation start and
 * the reference date. A family is at rest, in early help, or open to children's social care. Worries about
 * it arrive at random, more often for families in higher risk tiers, with young children, or recently
 * closed (which is what makes re-referrals and stop-start families). Each worry is routed, by its
 * severity, to early help or to a referral; a referral's whole episode (assessment, section 47 enquiry,
 * conference, CIN plan, CP plan, step-down, closure) is laid out when it arrives, shared by the siblings
 * it concerns.
 *
 * Its numbers are the calibration table's (calibration.ts).
 */
import { careEnds, drawCategoryOfNeed, inCareOn, layOutPeriodOfCare, type CareRoute } from './care.ts';
import { addWorkingDays, ageOn } from './dates.ts';
import { referenceDay, simulationStartDay } from './constants.ts';
import type {
  Assessment,
  CpCategory,
  CpPlan,
  DemoChild,
  EarlyHelpClosure,
  EarlyHelpEpisode,
  Family,
  IncidentConcern,
  Referral,
  Section47Enquiry,
} from './model.ts';
import type { Random } from './random.ts';
import {
  adolescentWorryChance,
  assessmentFactorScale,
  band,
  bySeverity,
  care,
  careInclusionChance,
  categoryByConcern,
  changedCategory,
  closureReasonAfterServiceBands,
  conference as conferenceTiming,
  cpInclusionChance,
  cpPlan as cpPlanCalibration,
  cpPlanDurationDays,
  earlyHelp,
  earlyHelpClosure,
  earlyHelpFactors,
  factorChances,
  incidentRate,
  leadAgencies,
  preBirthReferral,
  primaryNeed,
  recentClosureDecayDays,
  recentClosureRate,
  referralPathway as pathway,
  severityByTier,
  sourcesSchoolAge,
  sourcesYoungChildren,
  stopStartClosure,
  worries,
  youngChildrenRateMultiplier,
} from './calibration.ts';

const stepDays = 30;
const daysPerYear = 365.25;

// Factors in the order the CIN census lists them, so lists read the same way every time.
const factorOrder = [
  '1A',
  '1B',
  '1C',
  '2A',
  '2B',
  '2C',
  '3A',
  '3B',
  '3C',
  '4A',
  '4B',
  '4C',
  '5A',
  '5B',
  '5C',
  '6A',
  '6B',
  '6C',
  '7A',
  '10A',
  '11A',
  '12A',
  '13A',
  '14A',
  '15A',
  '16A',
  '17A',
  '18B',
  '18C',
  '19B',
  '19C',
  '20',
  '21',
  '22A',
  '23A',
  '24A',
];

const localities = ['North', 'South', 'East', 'West'] as const;

function byFactorOrder(a: string, b: string): number {
  return factorOrder.indexOf(a) - factorOrder.indexOf(b);
}

function drawCpDuration(random: Random): number {
  return random.int(...band(random.next(), cpPlanDurationDays));
}

/**
 * Simulates one family's journeys, filling its children's earlyHelp, referrals and care. Whether and how
 * children come into care is drawn from careRandom, a stream of its own, so that adding care left the
 * draws the CIN and CP journeys were calibrated with unchanged.
 */
export function simulateFamily(family: Family, random: Random, careRandom: Random): void {
  new FamilyJourney(family, random, careRandom).run();
}

/** How a referral's episode ended: with a CP plan on the way, and whether early help takes over. */
interface EpisodeOutcome {
  planned: boolean;
  stepDown: boolean;
}

type FamilyEvent =
  | { day: number; kind: 'preBirth'; child: DemoChild }
  | { day: number; kind: 'reReferral' }
  | { day: number; kind: 'worry' };

class FamilyJourney {
  /** Closure day of the family's latest social care episode: until then its course is set. */
  private socialCareUntil = -1;
  /** End of the open early help episodes (openEarlyHelp), which may start after a social care closure. */
  private earlyHelpUntil = -1;
  private openEarlyHelp: { child: DemoChild; episode: EarlyHelpEpisode }[] = [];
  private familyPlans = 0;
  /** A plan usually helps: families outside the chronic tier are referred less often after one. */
  private riskAfterPlans = 1;
  private reReferralDue: number | null = null;
  private lastSubjects: DemoChild[] = [];
  private lastHadPlan = false;
  private readonly locality: string;
  /** Placements so far in the family: each gets its own fictional postcode. */
  private placements = 0;

  constructor(
    private readonly family: Family,
    private readonly random: Random,
    private readonly careRandom: Random,
  ) {
    this.locality = localities[family.index % localities.length]!;
  }

  run(): void {
    const { family, random } = this;
    const children = family.children;
    const first = children[0];
    if (!first) return;
    const lastAdult = Math.max(...children.map((c) => c.adultDay));
    // Drawn for every child whatever happens, so the family's stream does not depend on its history.
    const preBirthCheck = children.map((c) => c.birthDay - random.int(...preBirthReferral.knownDaysBeforeBirth));
    if (lastAdult <= simulationStartDay) return;

    const start = Math.max(simulationStartDay, first.birthDay - 200);
    const events: FamilyEvent[] = [];
    for (let t = start; t <= referenceDay && t < lastAdult; t += stepDays) {
      const worryDay = Math.min(referenceDay, t + random.int(0, stepDays - 1));
      const due = this.reReferralDue;
      let preBirthThisMonth = false;
      for (const check of preBirthCheck)
        if (check >= t && check < t + stepDays && check <= referenceDay) preBirthThisMonth = true;
      // Most months hold nothing but the chance of a worry; the rest are handled in date order so that every
      // decision sees the family as it was that day.
      if (!preBirthThisMonth && (due === null || due >= t + stepDays)) {
        if (random.next() < this.worryChance(worryDay)) this.worry(worryDay);
        continue;
      }
      events.length = 0;
      children.forEach((child, i) => {
        const check = preBirthCheck[i]!;
        if (check >= t && check < t + stepDays && check <= referenceDay)
          events.push({ day: check, kind: 'preBirth', child });
      });
      if (due !== null && due < t + stepDays) {
        this.reReferralDue = null;
        if (due <= referenceDay) events.push({ day: Math.max(due, t), kind: 'reReferral' });
      }
      events.push({ day: worryDay, kind: 'worry' });
      events.sort((a, b) => a.day - b.day);
      for (const event of events) {
        if (event.kind === 'preBirth') this.maybePreBirthReferral(event.child, event.day);
        else if (event.kind === 'reReferral') this.reReferral(event.day);
        else if (random.next() < this.worryChance(event.day)) this.worry(event.day);
      }
    }
  }

  /** Chance of a new worry in this month, judged on day. */
  private worryChance(day: number): number {
    const { family } = this;
    let rate = incidentRate[family.tier] * this.riskAfterPlans;
    for (const c of family.children) {
      if (c.birthDay <= day && day < c.fifthBirthday) {
        rate *= youngChildrenRateMultiplier;
        break;
      }
    }
    const lastClosure = this.lastClosureBefore(day);
    if (lastClosure !== null)
      rate += recentClosureRate[family.tier] * Math.exp(-(day - lastClosure) / recentClosureDecayDays);
    return 1 - Math.exp((-rate * stepDays) / daysPerYear);
  }

  private lastClosureBefore(day: number): number | null {
    let last: number | null = null;
    if (this.socialCareUntil >= 0 && this.socialCareUntil < day) last = this.socialCareUntil;
    if (this.earlyHelpUntil >= 0 && this.earlyHelpUntil < day && (last === null || this.earlyHelpUntil > last))
      last = this.earlyHelpUntil;
    return last;
  }

  private modeOn(day: number): 'rest' | 'earlyHelp' | 'socialCare' {
    if (day <= this.socialCareUntil) return 'socialCare';
    if (day <= this.earlyHelpUntil && this.openEarlyHelp.length > 0) return 'earlyHelp';
    return 'rest';
  }

  /**
   * Children the family's worries can be about on day: born, more than two months from 18, and not
   * looked after (a child in care has a care plan instead).
   */
  private childrenOn(day: number): DemoChild[] {
    return this.family.children.filter((c) => c.birthDay <= day && c.adultDay > day + 60 && !inCareOn(c, day));
  }

  private severity(): number {
    let severity = severityByTier[this.family.tier].draw(this.random);
    // A family that has had a plan before is seen as riskier when it comes back.
    if (this.familyPlans > 0 && severity < 4 && this.random.chance(worries.returningFamilySeverityUpChance)) severity++;
    return severity;
  }

  private worry(day: number): void {
    const { random, family } = this;
    const present = this.childrenOn(day);
    if (present.length === 0) return;

    const mode = this.modeOn(day);
    if (mode === 'socialCare') return; // an open social care episode already has its course set
    if (mode === 'earlyHelp') {
      // An open early help episode absorbs small worries and steps up for serious ones.
      const severity = this.severity();
      if (severity >= 2 && random.chance(worries.earlyHelpStepUpChance)) this.stepUp(day, severity);
      return;
    }

    const teenagers = present.filter((c) => ageOn(c.birthDay, day) >= 12);
    let concern: IncidentConcern = family.concern;
    let subjects: DemoChild[];
    if (teenagers.length > 0 && random.chance(adolescentWorryChance[family.tier])) {
      concern = 'adolescent';
      subjects = [random.item(teenagers)];
    } else {
      if (random.chance(worries.otherConcernChance))
        concern = random.item(['neglect', 'domesticAbuse', 'physical', 'multiple'] as const);
      subjects = random.chance(worries.wholeFamilyChance) ? present : [random.item(present)];
    }
    let severity = concern === 'adolescent' ? Math.min(3, this.severity()) : this.severity();
    // Neglect is cumulative: a moderate worry about a neglectful family is more often the one that tips it into a plan.
    if (
      concern === 'neglect' &&
      severity === 2 &&
      family.tier >= 1 &&
      random.chance(worries.neglectTipsIntoSeriousChance)
    )
      severity = 3;

    const { low, moderate } = worries.toEarlyHelpChance;
    const toEarlyHelp = severity === 1 ? random.chance(low) : severity === 2 ? random.chance(moderate) : false;
    if (toEarlyHelp) {
      this.startEarlyHelp(subjects, day, concern);
      return;
    }
    // A known pregnancy is part of the referral.
    const unborn = this.family.children.filter(
      (c) => c.birthDay > day && c.birthDay <= day + worries.knownPregnancyDays && !this.hasOpenEpisode(c, day),
    );
    if (concern !== 'adolescent' && unborn.length > 0 && random.chance(worries.pregnancyInReferralChance))
      subjects = [...subjects, ...unborn];
    this.refer(subjects, day, severity, concern, undefined);
  }

  private hasOpenEpisode(child: DemoChild, day: number): boolean {
    return child.referrals.some((r) => r.date <= day && r.closure >= day);
  }

  private maybePreBirthReferral(child: DemoChild, day: number): void {
    const { random, family } = this;
    let chance: number = preBirthReferral.chanceByTier[family.tier];
    if (this.familyPlans > 0)
      chance = Math.min(preBirthReferral.afterPlanCap, chance * preBirthReferral.afterPlanMultiplier);
    if (!random.chance(chance)) return;
    const severity =
      this.familyPlans > 0 && random.chance(preBirthReferral.immediateAfterPlanChance)
        ? 4
        : Math.max(2, severityByTier[family.tier].draw(random));
    const concern = family.concern;
    if (this.hasOpenEpisode(child, day)) return; // already part of the family's referral
    const mode = this.modeOn(day);
    if (mode === 'rest') {
      const siblings = random.chance(preBirthReferral.siblingsChance) ? this.childrenOn(day) : [];
      this.refer([...siblings, child], day, severity, concern, undefined);
    } else if (mode === 'earlyHelp') {
      const siblings = this.openEarlyHelp.map((o) => o.child).filter((c) => c.adultDay > day + 60);
      this.closeEarlyHelp(day, 'stepped_up');
      this.refer([...siblings, child], day, severity, concern, '5D');
    } else {
      // Siblings already have an open episode: the unborn baby gets an episode of its own.
      this.refer([child], day, severity, concern, undefined);
    }
  }

  private startEarlyHelp(subjects: DemoChild[], day: number, concern: IncidentConcern): void {
    const { random, family } = this;
    let length: number;
    let reason: EarlyHelpClosure;
    if (family.stopStart) {
      length = random.int(...earlyHelp.stopStartDays);
      reason = stopStartClosure.draw(random);
    } else {
      length = random.chance(earlyHelp.shortChance)
        ? random.int(...earlyHelp.shortDays)
        : random.int(...earlyHelp.longDays);
      reason = earlyHelpClosure.draw(random);
    }
    const end = day + length;
    const flag = earlyHelp.neglectFlagChance;
    const neglect = random.chance(
      concern === 'neglect' ? flag.neglect : concern === 'multiple' ? flag.multiple : flag.other,
    );
    const factors = drawFactors(random, earlyHelpFactors[concern]);
    // Most neglect-flagged episodes also carry the factor; a few systems only record one or the other.
    if (
      (neglect && random.chance(earlyHelp.neglectFactorChance)) ||
      (!neglect && random.chance(earlyHelp.factorWithoutFlagChance))
    )
      factors.push('16A');
    factors.sort(byFactorOrder);
    const leadAgency = leadAgencies.draw(random);
    this.openEarlyHelp = [];
    for (const child of subjects) {
      if (child.birthDay > day) continue;
      const episode: EarlyHelpEpisode = {
        start: day,
        end: Math.min(end, child.adultDay),
        leadAgency,
        neglect,
        factors,
        closureReason: end > child.adultDay ? 'other' : reason,
      };
      child.earlyHelp.push(episode);
      this.openEarlyHelp.push({ child, episode });
    }
    if (this.openEarlyHelp.length > 0) this.earlyHelpUntil = end;
  }

  /** Ends the open early help episodes on day; a planned step-down that has not started yet never happens. */
  private closeEarlyHelp(day: number, reason: EarlyHelpClosure): void {
    for (const { child, episode } of this.openEarlyHelp) {
      if (episode.start >= day) {
        child.earlyHelp.splice(child.earlyHelp.indexOf(episode), 1);
      } else if (episode.end >= day) {
        episode.end = day;
        episode.closureReason = reason;
      }
    }
    this.openEarlyHelp = [];
    this.earlyHelpUntil = Math.min(this.earlyHelpUntil, day);
  }

  private stepUp(day: number, severity: number): void {
    const subjects = this.openEarlyHelp.map((o) => o.child).filter((c) => c.adultDay > day + 60 && !inCareOn(c, day));
    this.closeEarlyHelp(day, 'stepped_up');
    if (subjects.length === 0) return;
    this.refer(subjects, day, severity, this.family.concern, '5D');
  }

  /**
   * Lays out a whole CIN episode for the subjects, from referral on `day` to closure, one pathway step at
   * a time. Every step draws in the same order as the calibration was tuned with.
   */
  private refer(
    subjects: DemoChild[],
    day: number,
    severity: number,
    concern: IncidentConcern,
    source: string | undefined,
  ): void {
    const episode = this.openReferral(subjects, day, severity, concern, source);
    const outcome =
      severity === 1 && this.random.chance(pathway.frontDoor.noFurtherActionChance)
        ? this.noFurtherAction(episode, day)
        : this.assessAndDecide(episode, day, severity, concern);
    this.afterClosure(episode, subjects, concern, outcome);
  }

  /** The referral itself: who referred, the primary need, and the expected birth of unborn subjects. */
  private openReferral(
    subjects: DemoChild[],
    day: number,
    severity: number,
    concern: IncidentConcern,
    source: string | undefined,
  ): EpisodeBuilder {
    const { random } = this;
    const youngest = Math.min(...subjects.map((c) => ageOn(c.birthDay, day)));
    const episode = new EpisodeBuilder(random, subjects, day, this.teamFor(severity));
    episode.open(
      source ?? (youngest < 5 ? sourcesYoungChildren : sourcesSchoolAge).draw(random),
      drawPrimaryNeed(
        random,
        severity,
        concern,
        subjects.filter((c) => c.birthDay <= day),
      ),
    );
    for (const child of subjects)
      if (child.birthDay > day && child.expectedBirthDay === null)
        child.expectedBirthDay = child.birthDay + random.int(...pathway.expectedBirthOffsetDays);
    return episode;
  }

  private noFurtherAction(episode: EpisodeBuilder, day: number): EpisodeOutcome {
    const { random } = this;
    const { sameDayChance, laterDays } = pathway.frontDoor;
    episode.closeAsNfa(day + (random.chance(sameDayChance) ? 0 : random.int(...laterDays)));
    return { planned: false, stepDown: false };
  }

  /** The assessment; for serious worries a section 47 enquiry, whose conference may decide on a plan. */
  private assessAndDecide(
    episode: EpisodeBuilder,
    day: number,
    severity: number,
    concern: IncidentConcern,
  ): EpisodeOutcome {
    const authorised = this.assessment(episode, day, severity, concern);
    if (severity < 3) return this.decideAfterAssessment(episode, authorised, severity, concern, false);
    const enquiry = this.section47(episode, day, severity);
    if (enquiry.planned) return this.childProtectionPlan(episode, enquiry.decided, concern);
    return this.decideAfterAssessment(episode, Math.max(authorised, enquiry.decided), severity, concern, true);
  }

  /** Returns the day the assessment was authorised. */
  private assessment(episode: EpisodeBuilder, day: number, severity: number, concern: IncidentConcern): number {
    const { random } = this;
    const { sameDayStartChance, startDelayDays, inTimeChance, inTimeWorkingDays, lateWorkingDays } = pathway.assessment;
    const start = day + (random.chance(sameDayStartChance) ? 0 : random.int(...startDelayDays));
    const authorised = addWorkingDays(
      start,
      random.chance(inTimeChance) ? random.int(...inTimeWorkingDays) : random.int(...lateWorkingDays),
    );
    episode.assess(start, authorised, drawAssessmentFactors(random, concern, severity));
    return authorised;
  }

  private section47(episode: EpisodeBuilder, day: number, severity: number): { decided: number; planned: boolean } {
    const { random } = this;
    const { sameDayStartChance, startDelayDays, conferenceChance, planChance } = pathway.section47;
    const start = day + (random.chance(sameDayStartChance) ? 0 : random.int(...startDelayDays));
    const immediate = severity === 4;
    return episode.section47(
      start,
      immediate ? conferenceChance.immediate : conferenceChance.serious,
      immediate ? planChance.immediate : planChance.serious,
    );
  }

  /**
   * No CP plan: a CIN plan, a step-down to early help, or closure. A closure after a section 47
   * enquiry is RC7 (services ceased), not RC8: "closed after assessment, no further action" with an
   * enquiry on the episode is what DfE rule 2990 flags.
   */
  private decideAfterAssessment(
    episode: EpisodeBuilder,
    decided: number,
    severity: number,
    concern: IncidentConcern,
    afterEnquiry: boolean,
  ): EpisodeOutcome {
    const u = this.random.next();
    const cinShare = bySeverity(pathway.afterAssessment.cinPlanShare, severity);
    const earlyHelpShare = bySeverity(pathway.afterAssessment.earlyHelpShare, severity);
    if (u < cinShare) return this.cinPlan(episode, decided, concern);
    if (u < cinShare + earlyHelpShare) {
      episode.close(decided, 'RC9');
      return { planned: false, stepDown: true };
    }
    episode.close(decided, afterEnquiry ? 'RC7' : 'RC8');
    return { planned: false, stepDown: false };
  }

  /** A CIN plan that runs its course, unless the worry escalates to a section 47 enquiry first. */
  private cinPlan(episode: EpisodeBuilder, decided: number, concern: IncidentConcern): EpisodeOutcome {
    const { random, family } = this;
    const plan = pathway.cinPlan;
    const start = decided + random.int(...plan.startDelayDays);
    const length = random.chance(plan.shortChance) ? random.int(...plan.shortDays) : random.int(...plan.longDays);
    let escalation: number = pathway.cinEscalation.chanceByTier[family.tier];
    if (concern === 'neglect') escalation *= pathway.cinEscalation.neglectMultiplier;
    if (random.chance(escalation)) return this.escalateFromCinPlan(episode, start, length, concern);
    const inCare = this.careFromCinPlan(episode, start, length, concern);
    episode.cinPlan(start, start + length, null, inCare);
    episode.close(start + length + random.int(...plan.closureDelayDays), closureReasonAfterService(random));
    return { planned: false, stepDown: random.chance(plan.stepDownChance) };
  }

  /** A section 47 enquiry during a CIN plan: a conference's CP plan replaces it, or it carries on. */
  private escalateFromCinPlan(
    episode: EpisodeBuilder,
    cinStart: number,
    cinLength: number,
    concern: IncidentConcern,
  ): EpisodeOutcome {
    const { random } = this;
    const escalation = pathway.cinEscalation;
    const day =
      cinStart +
      random.int(escalation.earliestDay, Math.max(escalation.earliestDay + 1, cinLength - escalation.endMarginDays));
    if (random.chance(escalation.reassessmentChance)) {
      episode.assess(
        day,
        addWorkingDays(day, random.int(...escalation.reassessmentWorkingDays)),
        drawAssessmentFactors(random, concern, 3),
      );
    }
    const enquiry = episode.section47(day, escalation.conferenceChance, escalation.planChance);
    if (enquiry.planned) {
      episode.cinPlan(cinStart, enquiry.decided, null);
      return this.childProtectionPlan(episode, enquiry.decided, concern);
    }
    const end = Math.max(cinStart + cinLength, enquiry.decided + escalation.cinContinuesDays);
    episode.cinPlan(cinStart, end, null);
    episode.close(end + random.int(...pathway.cinPlan.closureDelayDays), 'RC7');
    return { planned: false, stepDown: random.chance(escalation.stepDownChance) };
  }

  /** CP plans from the conference day, then what follows them. */
  private childProtectionPlan(episode: EpisodeBuilder, start: number, concern: IncidentConcern): EpisodeOutcome {
    this.planStarted();
    const planEnd = episode.cpPlans(start, concern, this.family.tier);
    const inCare = this.careAfterCpPlan(episode, planEnd);
    return { planned: true, stepDown: this.finishAfterPlan(episode, planEnd, inCare) };
  }

  /**
   * Whether the plan ends with its children coming into care (on the plan's last day, which is the
   * day care begins). Returns the children who do.
   */
  private careAfterCpPlan(episode: EpisodeBuilder, planEnd: number): Set<DemoChild> {
    const { careRandom, family } = this;
    const inCare = new Set<DemoChild>();
    const category = episode.planCategories();
    const neglect = category.initial === 'NEG' || category.latest === 'NEG';
    const chance =
      (neglect ? care.afterCpPlanChance.neglect : care.afterCpPlanChance.other) *
      care.afterCpPlanTierMultiplier[family.tier];
    if (!careRandom.chance(chance)) return inCare;
    for (const child of episode.planSubjects()) {
      if (!careRandom.chance(careInclusionChance(ageOn(child.birthDay, planEnd)))) continue;
      if (this.startCare(child, planEnd, 'afterCpPlan', true)) inCare.add(child);
    }
    return inCare;
  }

  /**
   * Whether a CIN plan ends early with children coming into care: a teenager whose family breaks down,
   * or chronic neglect that never reached a conference. Returns the children who do and the day.
   */
  private careFromCinPlan(
    episode: EpisodeBuilder,
    start: number,
    length: number,
    concern: IncidentConcern,
  ): { children: Set<DemoChild>; day: number } | undefined {
    const { careRandom } = this;
    const chances = care.fromCinPlanChance;
    const chance =
      concern === 'adolescent' ? chances.adolescent : concern === 'neglect' ? chances.neglect : chances.other;
    if (!careRandom.chance(chance)) return undefined;
    const day = Math.min(start + careRandom.int(...care.fromCinPlanAfterDays), start + length - 1);
    const children = new Set<DemoChild>();
    const abuseOrNeglect = concern === 'neglect';
    for (const child of episode.subjects()) {
      if (!careRandom.chance(careInclusionChance(ageOn(child.birthDay, day)))) continue;
      if (this.startCare(child, day, 'fromCinPlan', abuseOrNeglect)) children.add(child);
    }
    return children.size > 0 ? { children, day } : undefined;
  }

  /** Lays out a period of care for the child from day; false when the child cannot come into care then. */
  private startCare(child: DemoChild, day: number, route: CareRoute, abuseOrNeglect: boolean): boolean {
    const { careRandom, family } = this;
    // Periods of care never overlap and are laid out in date order.
    if (child.birthDay >= day || child.adultDay <= day + 30 || careEnds(child) > day) return false;
    const need = drawCategoryOfNeed(route, abuseOrNeglect, careRandom);
    const serial = family.index * 256 + this.placements;
    const episodes = layOutPeriodOfCare(child, day, route, need, family.homePostcode, serial, careRandom);
    this.placements += episodes.length;
    child.care.push(...episodes);
    return true;
  }

  /**
   * After a CP plan: usually a step-down CIN plan (not for children who came into care), then closure.
   * Returns whether early help follows.
   */
  private finishAfterPlan(episode: EpisodeBuilder, planEnd: number, inCare: Set<DemoChild>): boolean {
    const { random } = this;
    const after = pathway.afterCpPlan;
    let last = planEnd;
    if (random.chance(after.stepDownCinChance)) {
      const cinEnd = planEnd + random.int(...after.stepDownCinDays);
      episode.cinPlan(
        planEnd,
        cinEnd,
        'subjectsOfPlan',
        inCare.size > 0 ? { children: inCare, day: planEnd } : undefined,
      );
      last = cinEnd;
    }
    episode.close(last + random.int(...after.closureDelayDays), closureReasonAfterService(random));
    return random.chance(after.earlyHelpChance);
  }

  /** Closes the episode; a re-referral may be due, and a step-down starts early help. */
  private afterClosure(
    episode: EpisodeBuilder,
    subjects: DemoChild[],
    concern: IncidentConcern,
    { planned, stepDown }: EpisodeOutcome,
  ): void {
    const { random, family } = this;
    const closure = episode.finish();
    this.socialCareUntil = Math.max(this.socialCareUntil, closure);
    this.lastSubjects = subjects;
    this.lastHadPlan = planned;
    const { chanceByTier, afterPlanMultiplier, delayDays } = pathway.reReferral;
    if (random.chance(chanceByTier[family.tier] * (planned ? afterPlanMultiplier : 1)))
      this.reReferralDue = closure + random.int(...delayDays);
    if (stepDown && closure < referenceDay) {
      const stillChildren = subjects.filter(
        (c) => c.birthDay <= closure && c.adultDay > closure + 60 && !inCareOn(c, closure),
      );
      if (stillChildren.length > 0) {
        const { handOverChance, handOverDays, laterDays } = pathway.stepDownToEarlyHelp;
        const ehStart =
          closure + (random.chance(handOverChance) ? random.int(...handOverDays) : random.int(...laterDays));
        this.startEarlyHelp(stillChildren, ehStart, concern);
      }
    }
  }

  /** The same worry comes back from another agency: a re-referral of the children last referred. */
  private reReferral(day: number): void {
    const { random } = this;
    const subjects = this.lastSubjects.filter((c) => c.birthDay <= day && c.adultDay > day + 60 && !inCareOn(c, day));
    if (subjects.length === 0) return;
    const severity = random.chance(
      this.lastHadPlan
        ? pathway.reReferral.lowSeverityChance.afterPlan
        : pathway.reReferral.lowSeverityChance.otherwise,
    )
      ? Math.min(2, this.severity())
      : this.severity();
    const mode = this.modeOn(day);
    if (mode === 'rest') this.refer(subjects, day, severity, this.family.concern, undefined);
    else if (mode === 'earlyHelp' && severity >= 2) this.stepUp(day, severity);
  }

  private planStarted(): void {
    this.familyPlans++;
    if (this.family.tier < 3) this.riskAfterPlans *= 0.75;
  }

  private teamFor(severity: number): string {
    if (severity >= 3) return `Locality ${this.locality} Safeguarding Team`;
    return `Locality ${this.locality} Assessment Team`;
  }
}

function closureReasonAfterService(random: Random): string {
  return band(random.next(), closureReasonAfterServiceBands);
}

function drawFactors(random: Random, chances: readonly (readonly [string, number])[]): string[] {
  const factors: string[] = [];
  for (const [code, p] of chances) if (random.chance(p)) factors.push(code);
  return factors;
}

function drawAssessmentFactors(random: Random, concern: IncidentConcern, severity: number): string[] {
  // Low-level worries are assessed with fewer concerns confirmed.
  const scale = bySeverity(assessmentFactorScale, severity);
  const factors: string[] = [];
  for (const [code, p] of factorChances[concern]) if (random.chance(p * scale)) factors.push(code);
  if (factors.length === 0) factors.push(severity === 1 ? '21' : '20');
  return factors.sort(byFactorOrder);
}

/** bornSubjects: a disability is only known once a child is born. */
function drawPrimaryNeed(
  random: Random,
  severity: number,
  concern: IncidentConcern,
  bornSubjects: DemoChild[],
): string {
  if (bornSubjects.some((c) => c.disabilities.length > 0) && random.chance(primaryNeed.disabilityChance)) return 'N2';
  if (severity >= 3)
    return random.chance(primaryNeed.seriousAbuseOrNeglectChance) ? 'N1' : random.item(primaryNeed.seriousOtherNeeds);
  if (concern === 'adolescent' && random.chance(primaryNeed.adolescentSocialBehaviourChance)) return 'N6';
  return band(random.next(), severity === 2 ? primaryNeed.moderate : primaryNeed.low);
}

/**
 * One CIN episode being laid out for a group of siblings. Dates are shared; who becomes the subject of a
 * plan is decided child by child (babies almost always, older teenagers less often), and every child's
 * records stop at their 18th birthday.
 */
class EpisodeBuilder {
  private readonly referrals: Referral[];
  private readonly ages: number[];
  /** Children who are the subject of the current or last CP plan. */
  private onPlan: boolean[];
  private closureDay = -1;
  private closureReason = 'RC7';

  constructor(
    private readonly random: Random,
    private readonly children: DemoChild[],
    private readonly day: number,
    team: string,
  ) {
    this.ages = children.map((c) => ageOn(c.birthDay, day));
    this.onPlan = children.map(() => false);
    this.referrals = children.map(() => ({
      date: day,
      source: '',
      primaryNeed: '',
      nfa: false,
      closure: day,
      closureReason: '',
      assessments: [],
      section47s: [],
      cinPlans: [],
      cpPlans: [],
      team,
    }));
  }

  open(source: string, primaryNeed: string): void {
    for (const r of this.referrals) {
      r.source = source;
      r.primaryNeed = primaryNeed;
    }
  }

  /**
   * A referral with no further action closes RC7 (services ceased for any other reason): RC8 and RC9
   * say "closed after assessment", and an NFA referral has none (DfE rule 8825Q queries them).
   */
  closeAsNfa(day: number): void {
    for (const r of this.referrals) {
      r.nfa = true;
      r.team = 'Front Door (MASH)';
    }
    this.close(day, 'RC7');
  }

  assess(start: number, authorised: number, factors: readonly string[]): void {
    this.referrals.forEach((r) => {
      const assessment: Assessment = { start, authorised, factors };
      r.assessments.push(assessment);
    });
  }

  /**
   * A section 47 enquiry for every child in the episode. Returns when its outcome was known and whether
   * a conference decided on a plan (the plan starts on the conference day).
   */
  section47(start: number, conferenceChance: number, planChance: number): { decided: number; planned: boolean } {
    const { random } = this;
    const icpcTarget = addWorkingDays(start, 15);
    const held = random.chance(conferenceChance);
    let decided: number;
    let icpc: number | null = null;
    let planned = false;
    if (held) {
      icpc = addWorkingDays(
        start,
        random.chance(conferenceTiming.inTimeChance)
          ? random.int(...conferenceTiming.inTimeWorkingDays)
          : random.int(...conferenceTiming.lateWorkingDays),
      );
      decided = icpc;
      planned = random.chance(planChance);
    } else {
      decided = start + random.int(...conferenceTiming.outcomeWithoutConferenceDays);
    }
    this.onPlan = this.children.map(
      (child, i) =>
        planned &&
        random.chance(cpInclusionChance(ageOn(child.birthDay, decided))) &&
        child.adultDay > decided + 30 &&
        this.ages[i]! < 18,
    );
    if (planned && !this.onPlan.some(Boolean)) planned = false;
    this.referrals.forEach((r, i) => {
      const enquiry: Section47Enquiry = { start, decided, icpcTarget, icpc, resultedInPlan: this.onPlan[i]! };
      r.section47s.push(enquiry);
    });
    return { decided, planned };
  }

  /**
   * CP plans from the conference day for the children it named; their siblings get a CIN plan for the
   * same time. Returns the day the plans end.
   */
  cpPlans(start: number, concern: IncidentConcern, tier: number): number {
    const { random } = this;
    const initial = categoryByConcern[concern].draw(random);
    let latest = initial;
    if (random.chance(cpPlanCalibration.changedCategoryChance)) latest = changedCategory.draw(random);
    let length = drawCpDuration(random);
    // Chronic families are the ones whose plans drag on.
    if (tier === 3 && random.chance(cpPlanCalibration.chronicTierExtensionChance))
      length += random.int(...cpPlanCalibration.chronicTierExtensionDays);
    const end = start + length;
    const reviews: number[] = [];
    for (
      let review = start + random.int(...cpPlanCalibration.firstReviewDays);
      review < end;
      review += random.int(...cpPlanCalibration.reviewIntervalDays)
    ) {
      reviews.push(review);
    }
    const latestFrom = reviews[0];
    if (latestFrom === undefined) latest = initial;
    this.children.forEach((child, i) => {
      const r = this.referrals[i]!;
      if (!this.onPlan[i]) {
        r.cinPlans.push({ start, end });
        return;
      }
      const plan: CpPlan = {
        start,
        end,
        initialCategory: initial,
        latestCategory: latest,
        latestCategoryFrom: latestFrom ?? start,
        previousPlans: child.cpPlansSoFar,
        reviews,
      };
      child.cpPlansSoFar++;
      r.cpPlans.push(plan);
    });
    return end;
  }

  /**
   * A CIN plan for everyone, or only for the children who were on the plan before it (a step-down).
   * Children who come into care on `inCare.day` have no CIN plan from then: theirs ends that day.
   */
  cinPlan(
    start: number,
    end: number,
    who: 'subjectsOfPlan' | null,
    inCare?: { children: ReadonlySet<DemoChild>; day: number },
  ): void {
    this.referrals.forEach((r, i) => {
      if (who === 'subjectsOfPlan' && !this.onPlan[i]) return;
      const child = this.children[i]!;
      if (inCare?.children.has(child)) {
        if (inCare.day > start) r.cinPlans.push({ start, end: inCare.day });
        return;
      }
      r.cinPlans.push({ start, end });
    });
  }

  /** The children this episode is about. */
  subjects(): readonly DemoChild[] {
    return this.children;
  }

  /** The children who are the subject of the latest CP plan. */
  planSubjects(): DemoChild[] {
    return this.children.filter((_, i) => this.onPlan[i]);
  }

  /** The latest CP plan's initial and latest categories. */
  planCategories(): { initial: CpCategory | null; latest: CpCategory | null } {
    for (const r of this.referrals) {
      const plan = r.cpPlans[r.cpPlans.length - 1];
      if (plan) return { initial: plan.initialCategory, latest: plan.latestCategory };
    }
    return { initial: null, latest: null };
  }

  close(day: number, reason: string): void {
    this.closureDay = day;
    this.closureReason = reason;
  }

  /** Closes every child's episode, cutting records at 18; returns the family's closure day. */
  finish(): number {
    let latest = this.day;
    this.children.forEach((child, i) => {
      const r = this.referrals[i]!;
      r.closure = this.closureDay;
      r.closureReason = this.closureReason;
      capAtAdulthood(r, child.adultDay);
      child.referrals.push(r);
      latest = Math.max(latest, this.closureDay);
    });
    return latest;
  }
}

/** Services to a child stop on their 18th birthday: records end there and later ones never happen. */
function capAtAdulthood(r: Referral, adultDay: number): void {
  if (r.closure <= adultDay) return;
  r.closure = adultDay;
  r.closureReason = 'RC7';
  r.assessments = r.assessments.filter((a) => a.start < adultDay);
  for (const a of r.assessments) if (a.authorised > adultDay) a.authorised = adultDay;
  r.section47s = r.section47s.filter((s) => s.start < adultDay);
  r.cinPlans = r.cinPlans
    .filter((p) => p.start < adultDay)
    .map((p) => ({ start: p.start, end: Math.min(p.end, adultDay) }));
  r.cpPlans = r.cpPlans
    .filter((p) => p.start < adultDay)
    .map((p) => ({ ...p, end: Math.min(p.end, adultDay), reviews: p.reviews.filter((d) => d < adultDay) }));
}
