/**
 * Attribution sentences in AP style, written for this test (names, places and events are
 * invented), each with whom an editor would name for every quote in it, and for every
 * paraphrase from an anonymous source.
 *
 * Conventions, the same for every case:
 * - name: a person's full name as the story first gives it (a surname or a pronoun stands for
 *   that name); an organisation's name as printed; for an unnamed or anonymous speaker, the
 *   description as printed.
 * - title: a formal title before the name ("Senate Majority Leader", "the Rev."), otherwise the
 *   descriptor before the name ("library director") or the description after it ("a resident"),
 *   as printed, without an age, a party-state tag or a relative clause.
 * - affiliation: the party-state tag ("D-Nev."), otherwise the organisation a description ties
 *   the speaker to with for/at/of/with ("the American Red Cross").
 * - kind: PERSON or ORGANIZATION when named; ANONYMOUS when the copy says why the speaker is not
 *   named (anonymityReason is that clause as printed); UNNAMED for a description with no name
 *   and no such reason ("one woman", "the statement", "police").
 * - null: nobody said these words (a title of a work, a scare quote, a sign), or the copy does
 *   not let even an editor tell who did.
 * - words: the quote between its marks; for a paraphrase (kind PARAPHRASE), the claim as
 *   printed: after the verb (and "that") up to the sentence's end, or before the comma of an
 *   attribution that follows it.
 *
 * The cases after "Written after the rules" were added once the rules passed the ones before,
 * as a check on how they do on copy they were not made with; the rules were then made more
 * general where that batch showed a gap, and the cases after "Written last" were added as a
 * fresh check. All are scored the same way.
 */

export type ExpectedKind = "PERSON" | "ORGANIZATION" | "ANONYMOUS" | "UNNAMED";

export interface ExpectedSpeaker {
  kind: ExpectedKind;
  name: string;
  title?: string;
  affiliation?: string;
  anonymityReason?: string;
}

export interface ExpectedAttribution {
  words: string;
  paraphrase?: true;
  speaker: ExpectedSpeaker | null;
}

export interface CorpusCase {
  about: string;
  copy: string[];
  attributions: ExpectedAttribution[];
}

const person = (name: string, title?: string, affiliation?: string): ExpectedSpeaker => ({ kind: "PERSON", name, title, affiliation });
const organization = (name: string): ExpectedSpeaker => ({ kind: "ORGANIZATION", name });
const unnamed = (name: string): ExpectedSpeaker => ({ kind: "UNNAMED", name });
const anonymous = (name: string, anonymityReason: string): ExpectedSpeaker => ({ kind: "ANONYMOUS", name, anonymityReason });

export const CORPUS: CorpusCase[] = [
  // Named people, attribution after the quote.
  {
    about: "said + full name",
    copy: ["“We lost everything in an hour,” said Maria Lopez."],
    attributions: [{ words: "We lost everything in an hour,", speaker: person("Maria Lopez") }],
  },
  {
    about: "full name + said",
    copy: ["“The levee held longer than anyone expected,” Dale Jensen said."],
    attributions: [{ words: "The levee held longer than anyone expected,", speaker: person("Dale Jensen") }],
  },
  {
    about: "formal abbreviated title",
    copy: ["“We will not raise taxes this year,” said Gov. Teresa Alvarado."],
    attributions: [{ words: "We will not raise taxes this year,", speaker: person("Teresa Alvarado", "Gov.") }],
  },
  {
    about: "multi-word title and party-state",
    copy: ["“This bill is dead on arrival,” said Senate Majority Leader Chuck Ramirez, D-Nev."],
    attributions: [{ words: "This bill is dead on arrival,", speaker: person("Chuck Ramirez", "Senate Majority Leader", "D-Nev.") }],
  },
  {
    about: "lowercase descriptor after said",
    copy: ["“The water came up through the floorboards,” said resident Keisha Booker."],
    attributions: [{ words: "The water came up through the floorboards,", speaker: person("Keisha Booker", "resident") }],
  },
  {
    about: "lowercase descriptor before name, said after",
    copy: ["“We had to close the children's room,” library director Ann Cole said."],
    attributions: [{ words: "We had to close the children's room,", speaker: person("Ann Cole", "library director") }],
  },
  {
    about: "description between commas, said after",
    copy: ["“Nobody came to help us,” Nguyen Van Thanh, a fisherman, said."],
    attributions: [{ words: "Nobody came to help us,", speaker: person("Nguyen Van Thanh", "a fisherman") }],
  },
  {
    about: "age and description after the name",
    copy: ["“I have never seen the river this high,” said Olusegun Adeyemi, 67, a retired teacher."],
    attributions: [{ words: "I have never seen the river this high,", speaker: person("Olusegun Adeyemi", "a retired teacher") }],
  },
  {
    about: "description naming the organisation",
    copy: ["“Shelters are at capacity,” said Hannah Weiss, a spokeswoman for the American Red Cross."],
    attributions: [{ words: "Shelters are at capacity,", speaker: person("Hannah Weiss", "a spokeswoman", "the American Red Cross") }],
  },
  {
    about: "party-state followed by a clause",
    copy: ["“We have the votes,” said Rep. Tom Okafor, D-N.Y., after the closed-door meeting."],
    attributions: [{ words: "We have the votes,", speaker: person("Tom Okafor", "Rep.", "D-N.Y.") }],
  },
  {
    about: "party-state and a description after it",
    copy: ["“The committee will subpoena the records,” said Rep. Dana Whitfield, R-Ohio, the committee's chairwoman."],
    attributions: [{ words: "The committee will subpoena the records,", speaker: person("Dana Whitfield", "Rep.", "R-Ohio") }],
  },
  {
    about: "possessive country before a title",
    copy: ["“Our borders remain closed,” said Jordan's Interior Minister Khalid al-Rawabdeh."],
    attributions: [{ words: "Our borders remain closed,", speaker: person("Khalid al-Rawabdeh", "Jordan's Interior Minister") }],
  },
  {
    about: "former before a formal title",
    copy: ["“I warned them in 2019,” said former Gov. Peter Lindqvist."],
    attributions: [{ words: "I warned them in 2019,", speaker: person("Peter Lindqvist", "former Gov.") }],
  },
  {
    about: "question mark, name followed by a whose-clause",
    copy: ["“Where are we supposed to go now?” asked Fatima Zahra Bennani, whose apartment building was condemned."],
    attributions: [{ words: "Where are we supposed to go now?", speaker: person("Fatima Zahra Bennani") }],
  },
  {
    about: "told The Associated Press",
    copy: ["“The money simply ran out,” Rafael Quintero told The Associated Press in a phone interview."],
    attributions: [{ words: "The money simply ran out,", speaker: person("Rafael Quintero") }],
  },
  {
    about: "descriptor before the name and a day after said",
    copy: ["“We will appeal,” defense attorney Lauren Whitaker said Tuesday."],
    attributions: [{ words: "We will appeal,", speaker: person("Lauren Whitaker", "defense attorney") }],
  },
  {
    about: "name with lowercase particles",
    copy: ["“The commission acted within its mandate,” said Ursula van der Berg, the commission's chief legal adviser."],
    attributions: [
      { words: "The commission acted within its mandate,", speaker: person("Ursula van der Berg", "the commission's chief legal adviser") },
    ],
  },
  {
    about: "Arabic article in the surname",
    copy: ["“Egypt will not accept any displacement,” said Foreign Minister Sameh el-Sayed."],
    attributions: [{ words: "Egypt will not accept any displacement,", speaker: person("Sameh el-Sayed", "Foreign Minister") }],
  },
  {
    about: "the Rev. and Jr.",
    copy: ["“This is about fairness,” said the Rev. Calvin Hughes Jr., pastor of Greater Mount Zion Church."],
    attributions: [{ words: "This is about fairness,", speaker: person("Calvin Hughes Jr.", "the Rev.", "Greater Mount Zion Church") }],
  },
  {
    about: "surname first",
    copy: ["“The factory will reopen in June,” said Park Ji-hoon, a spokesman for Hyundai Motor Co."],
    attributions: [{ words: "The factory will reopen in June,", speaker: person("Park Ji-hoon", "a spokesman", "Hyundai Motor Co.") }],
  },
  {
    about: "straight quote marks and a who-clause",
    copy: ['"It was chaos," said Kwame Mensah, who was on the train.'],
    attributions: [{ words: "It was chaos,", speaker: person("Kwame Mensah") }],
  },
  {
    about: "lowercase title after the name",
    copy: ["“We are seeing record turnout,” said Julia Fernández, the county elections supervisor."],
    attributions: [{ words: "We are seeing record turnout,", speaker: person("Julia Fernández", "the county elections supervisor") }],
  },
  {
    about: "description, then in a statement",
    copy: ["“We are deeply saddened,” said Tesfaye Bekele, the airline's chief executive, in a statement."],
    attributions: [{ words: "We are deeply saddened,", speaker: person("Tesfaye Bekele", "the airline's chief executive") }],
  },
  {
    about: "description with a place",
    copy: ["“Our clients are terrified,” said Nadia Kowalski, an immigration lawyer in Chicago."],
    attributions: [{ words: "Our clients are terrified,", speaker: person("Nadia Kowalski", "an immigration lawyer in Chicago") }],
  },
  {
    about: "formal title wins; affiliation from the description",
    copy: ["“The vaccine is safe for children,” said Dr. Mei-Ling Chou, an infectious disease specialist at Stanford University."],
    attributions: [{ words: "The vaccine is safe for children,", speaker: person("Mei-Ling Chou", "Dr.", "Stanford University") }],
  },
  {
    about: "possessive description before the name",
    copy: ["“That decision belongs to the voters,” said the governor's spokesman, Omar Haddad."],
    attributions: [{ words: "That decision belongs to the voters,", speaker: person("Omar Haddad", "the governor's spokesman") }],
  },
  {
    about: "wrote in a ruling",
    copy: ["“The defendant showed no remorse,” Judge Helen Marsh wrote in her 40-page ruling."],
    attributions: [{ words: "The defendant showed no remorse,", speaker: person("Helen Marsh", "Judge") }],
  },
  {
    about: "wrote in a letter, multi-word title",
    copy: ["“I cannot in good conscience continue,” Deputy Director Sunita Rao wrote in her resignation letter."],
    attributions: [{ words: "I cannot in good conscience continue,", speaker: person("Sunita Rao", "Deputy Director") }],
  },
  {
    about: "posted on social media",
    copy: ["“See you in court,” Gov. Brandon Hale posted on X shortly after the ruling."],
    attributions: [{ words: "See you in court,", speaker: person("Brandon Hale", "Gov.") }],
  },
  {
    about: "a quote that itself reports speech",
    copy: ["“He said he would pay us back,” said Lucia Ferri, whose savings were lost."],
    attributions: [{ words: "He said he would pay us back,", speaker: person("Lucia Ferri") }],
  },

  // Named people, attribution before the quote.
  {
    about: "said and a colon",
    copy: ["Mayor Luis Ortega said: “We are asking everyone to stay home tonight.”"],
    attributions: [{ words: "We are asking everyone to stay home tonight.", speaker: person("Luis Ortega", "Mayor") }],
  },
  {
    about: "partial quote inside indirect speech",
    copy: ["Police Chief Rhonda Tate said the shooting was “a targeted attack” and that the public was not in danger."],
    attributions: [{ words: "a targeted attack", speaker: person("Rhonda Tate", "Police Chief") }],
  },
  {
    about: "party-state between commas before said",
    copy: ["Sen. Lisa Grant, R-Maine, said the measure would “gut rural hospitals.”"],
    attributions: [{ words: "gut rural hospitals.", speaker: person("Lisa Grant", "Sen.", "R-Maine") }],
  },
  {
    about: "Secretary of State",
    copy: ["Secretary of State Miriam Achebe said the talks would resume “within days.”"],
    attributions: [{ words: "within days.", speaker: person("Miriam Achebe", "Secretary of State") }],
  },
  {
    about: "name, description, said",
    copy: ["Keiko Tanaka, the museum's curator, said the collection had been “hidden in plain sight for decades.”"],
    attributions: [{ words: "hidden in plain sight for decades.", speaker: person("Keiko Tanaka", "the museum's curator") }],
  },
  {
    about: "description, titled name, said",
    copy: ["The hospital's chief of surgery, Dr. Amir Haddad, said the wounded were “overwhelmingly children.”"],
    attributions: [{ words: "overwhelmingly children.", speaker: person("Amir Haddad", "Dr.") }],
  },
  {
    about: "description, name, said",
    copy: ["Her lawyer, Benjamin Osei, said she “never knowingly broke the law.”"],
    attributions: [{ words: "never knowingly broke the law.", speaker: person("Benjamin Osei", "Her lawyer") }],
  },
  {
    about: "subject goes on saying",
    copy: ["Ramona Ditta praised the ruling, saying it was “long overdue.”"],
    attributions: [{ words: "long overdue.", speaker: person("Ramona Ditta") }],
  },
  {
    about: "acknowledged that",
    copy: ["Chancellor Olaf Brenner acknowledged that the coalition was “under real strain.”"],
    attributions: [{ words: "under real strain.", speaker: person("Olaf Brenner", "Chancellor") }],
  },
  {
    about: "the nearest speech verb names the speaker",
    copy: ["Witnesses said the gunman shouted “Nobody move!” before opening fire."],
    attributions: [{ words: "Nobody move!", speaker: unnamed("the gunman") }],
  },

  // Organisations, documents and people without a name.
  {
    about: "organisation with the",
    copy: ["“The strikes were precise and lawful,” the Pentagon said in a statement."],
    attributions: [{ words: "The strikes were precise and lawful,", speaker: organization("the Pentagon") }],
  },
  {
    about: "organisation named by its possessive country",
    copy: ["Iraq's Foreign Ministry said the embassy would stay open, calling the threat “not credible.”"],
    attributions: [{ words: "not credible.", speaker: organization("Iraq's Foreign Ministry") }],
  },
  {
    about: "company abbreviation",
    copy: ["“Demand for jet fuel has not recovered,” Exxon Mobil Corp. said Tuesday."],
    attributions: [{ words: "Demand for jet fuel has not recovered,", speaker: organization("Exxon Mobil Corp.") }],
  },
  {
    about: "international organisation",
    copy: ["“Cases are rising in every region,” the World Health Organization said."],
    attributions: [{ words: "Cases are rising in every region,", speaker: organization("the World Health Organization") }],
  },
  {
    about: "the White House",
    copy: ["“The president has full confidence in the secretary,” the White House said."],
    attributions: [{ words: "The president has full confidence in the secretary,", speaker: organization("the White House") }],
  },
  {
    about: "airline in a statement",
    copy: ["“Safety is our top priority,” Delta Air Lines said in a statement."],
    attributions: [{ words: "Safety is our top priority,", speaker: organization("Delta Air Lines") }],
  },
  {
    about: "the company",
    copy: ["“We regret the inconvenience,” the company said in a statement."],
    attributions: [{ words: "We regret the inconvenience,", speaker: unnamed("the company") }],
  },
  {
    about: "the statement before a partial quote",
    copy: ["The statement said the two sides had agreed to “a lasting ceasefire.”"],
    attributions: [{ words: "a lasting ceasefire.", speaker: unnamed("The statement") }],
  },
  {
    about: "according to a document",
    copy: ["The suspect fired at least 12 rounds, “reloading twice,” according to the indictment."],
    attributions: [{ words: "reloading twice,", speaker: unnamed("the indictment") }],
  },
  {
    about: "the report",
    copy: ["“Conditions at the facility were inhumane,” the report said."],
    attributions: [{ words: "Conditions at the facility were inhumane,", speaker: unnamed("the report") }],
  },
  {
    about: "one woman",
    copy: ["“I just grabbed the kids and ran,” one woman said."],
    attributions: [{ words: "I just grabbed the kids and ran,", speaker: unnamed("one woman") }],
  },
  {
    about: "a resident",
    copy: ["“It sounded like a freight train,” a resident said."],
    attributions: [{ words: "It sounded like a freight train,", speaker: unnamed("a resident") }],
  },
  {
    about: "officials at the start of the sentence",
    copy: ["Officials said the bridge would remain closed “for the foreseeable future.”"],
    attributions: [{ words: "for the foreseeable future.", speaker: unnamed("Officials") }],
  },
  {
    about: "police",
    copy: ["“The suspect is in custody,” police said."],
    attributions: [{ words: "The suspect is in custody,", speaker: unnamed("police") }],
  },
  {
    about: "an unnamed spokesman of a named department",
    copy: ["“We do not comment on ongoing investigations,” a Justice Department spokesman said."],
    attributions: [{ words: "We do not comment on ongoing investigations,", speaker: unnamed("a Justice Department spokesman") }],
  },
  {
    about: "an unnamed official, no reason given",
    copy: ["“No decision has been made,” a White House official said."],
    attributions: [{ words: "No decision has been made,", speaker: unnamed("a White House official") }],
  },
  {
    about: "the family, in a statement",
    copy: ["In a statement, the family said: “He was the light of our lives.”"],
    attributions: [{ words: "He was the light of our lives.", speaker: unnamed("the family") }],
  },
  {
    about: "unnamed officials paraphrased without a reason are not proposed",
    copy: ["Two U.S. officials said the drone was shot down over international waters."],
    attributions: [],
  },
  {
    about: "a named person with a who-clause is not anonymous",
    copy: ["Juan Carlos Ibáñez, who asked that his street not be named, said the water reached his knees."],
    attributions: [],
  },

  // Pronouns, surnames and descriptions that point back.
  {
    about: "pronoun after a named speaker",
    copy: ["“We were told the dam would hold,” said farmer Ruth Mbeki.", "“Then the water came over the top,” she said."],
    attributions: [
      { words: "We were told the dam would hold,", speaker: person("Ruth Mbeki", "farmer") },
      { words: "Then the water came over the top,", speaker: person("Ruth Mbeki", "farmer") },
    ],
  },
  {
    about: "quote split by a pronoun attribution",
    copy: [
      "Cmdr. Elena Sokolova described the rescue in detail.",
      "“The first boat capsized within minutes,” she said, “and we pulled nine people from the water.”",
    ],
    attributions: [
      { words: "The first boat capsized within minutes,", speaker: person("Elena Sokolova", "Cmdr.") },
      { words: "and we pulled nine people from the water.", speaker: person("Elena Sokolova", "Cmdr.") },
    ],
  },
  {
    about: "quote over two paragraphs ending he added",
    copy: [
      "Fire Chief Marcus Bell said crews had been on the line for 36 hours. “They are exhausted.",
      "“But nobody is going home until this is contained,” he added.",
    ],
    attributions: [
      { words: "They are exhausted.", speaker: person("Marcus Bell", "Fire Chief") },
      { words: "But nobody is going home until this is contained,", speaker: person("Marcus Bell", "Fire Chief") },
    ],
  },
  {
    about: "pronoun with two people in play; the names, not the copy, say which",
    copy: [
      "Judge Karen Holt questioned prosecutor Daniel Reyes for nearly an hour on Monday.",
      "“That is not what the statute says,” she said.",
    ],
    attributions: [{ words: "That is not what the statute says,", speaker: person("Karen Holt", "Judge") }],
  },
  {
    about: "pronoun with two women in play",
    copy: ["Maria Lopez and Ana Ruiz had been neighbors for 20 years.", "“We always looked out for each other,” she said."],
    attributions: [{ words: "We always looked out for each other,", speaker: null }],
  },
  {
    about: "pronoun for the unnamed man nearest to it",
    copy: [
      "“The shelter ran out of cots by midnight,” said volunteer coordinator Beth Arnaud.",
      "One man said he had walked six miles to get there. “My car is under water,” he said.",
    ],
    attributions: [
      { words: "The shelter ran out of cots by midnight,", speaker: person("Beth Arnaud", "volunteer coordinator") },
      { words: "My car is under water,", speaker: unnamed("One man") },
    ],
  },
  {
    about: "pronoun in the same paragraph as the name",
    copy: ["Alina Petrova waited outside the courthouse for six hours. “I wanted him to see my face,” she said."],
    attributions: [{ words: "I wanted him to see my face,", speaker: person("Alina Petrova") }],
  },
  {
    about: "pronoun after an according-to attribution",
    copy: ["The evacuation order covers about 8,000 homes, according to Deputy Fire Marshal Tomás Ibarra. “Leave now,” he said."],
    attributions: [{ words: "Leave now,", speaker: person("Tomás Ibarra", "Deputy Fire Marshal") }],
  },
  {
    about: "it for an organisation",
    copy: ["The union said it would strike on Friday. “Our members have been patient long enough,” it said."],
    attributions: [{ words: "Our members have been patient long enough,", speaker: unnamed("The union") }],
  },
  {
    about: "they for officials",
    copy: ["Officials said the road would reopen by the weekend. “We are hoping for Friday,” they said."],
    attributions: [{ words: "We are hoping for Friday,", speaker: unnamed("Officials") }],
  },
  {
    about: "surname after the name was given in indirect speech",
    copy: [
      "Senate Majority Leader Chuck Ramirez, D-Nev., said the chamber would vote on the package before the August recess.",
      "“We are not leaving town without a deal,” Ramirez said.",
    ],
    attributions: [
      { words: "We are not leaving town without a deal,", speaker: person("Chuck Ramirez", "Senate Majority Leader", "D-Nev.") },
    ],
  },
  {
    about: "surname after the name was given elsewhere in the body",
    copy: ["The lawsuit was filed by Priya Raman, a nurse who was fired in March.", "“They punished me for speaking up,” Raman said."],
    attributions: [{ words: "They punished me for speaking up,", speaker: person("Priya Raman", "a nurse") }],
  },
  {
    about: "surname with told reporters",
    copy: [
      "Defense Minister Yusuf Karimi met with NATO envoys in Brussels on Thursday.",
      "“Our airspace is not a bargaining chip,” Karimi told reporters.",
    ],
    attributions: [{ words: "Our airspace is not a bargaining chip,", speaker: person("Yusuf Karimi", "Defense Minister") }],
  },
  {
    about: "surname shared by two people",
    copy: ["Maria Lopez and her brother, Hector Lopez, ran the bakery for 30 years.", "“We never missed a morning,” Lopez said."],
    attributions: [{ words: "We never missed a morning,", speaker: null }],
  },
  {
    about: "hyphenated surname",
    copy: [
      "Ana María Gutiérrez-Soto, the city's housing commissioner, announced the plan on Monday.",
      "“Nobody will be evicted this winter,” Gutiérrez-Soto said.",
    ],
    attributions: [
      { words: "Nobody will be evicted this winter,", speaker: person("Ana María Gutiérrez-Soto", "the city's housing commissioner") },
    ],
  },
  {
    about: "surname first named inside a quote",
    copy: ["“Nobody works harder than Rosa Delgado,” the principal said.", "“I just love these kids,” Delgado said."],
    attributions: [
      { words: "Nobody works harder than Rosa Delgado,", speaker: unnamed("the principal") },
      { words: "I just love these kids,", speaker: person("Rosa Delgado") },
    ],
  },
  {
    about: "surname added after a descriptor that opens the sentence",
    copy: ["Economist Farah Siddiqui said inflation would ease by summer.", "“But rents are a different story,” Siddiqui added."],
    attributions: [{ words: "But rents are a different story,", speaker: person("Farah Siddiqui", "Economist") }],
  },
  {
    about: "surname as the subject of a nested speech verb",
    copy: [
      "Former county treasurer Glenn Dorsey was charged with embezzlement on Monday.",
      "Prosecutors said Dorsey had told investigators that he “never touched the money.”",
    ],
    attributions: [{ words: "never touched the money.", speaker: person("Glenn Dorsey", "Former county treasurer") }],
  },
  {
    about: "the mayor after the mayor was named",
    copy: ["Mayor Grace Odhiambo toured the damage on Sunday.", "“This neighborhood will come back,” the mayor said."],
    attributions: [{ words: "This neighborhood will come back,", speaker: person("Grace Odhiambo", "Mayor") }],
  },

  // Anonymous sources.
  {
    about: "anonymous official paraphrased, who-clause between commas",
    copy: [
      "A state health official, who was not authorized to discuss the review publicly, said the agency would reopen the inspection files next month.",
    ],
    attributions: [
      {
        words: "the agency would reopen the inspection files next month.",
        paraphrase: true,
        speaker: anonymous("A state health official", "was not authorized to discuss the review publicly"),
      },
    ],
  },
  {
    about: "anonymous official quoted, who-clause without commas",
    copy: [
      "“There is no plan B,” said a senior administration official who spoke on condition of anonymity to discuss internal deliberations.",
    ],
    attributions: [
      {
        words: "There is no plan B,",
        speaker: anonymous("a senior administration official", "spoke on condition of anonymity to discuss internal deliberations"),
      },
    ],
  },
  {
    about: "anonymous official quoted, who-clause after a comma",
    copy: ["“The order came from the top,” said a police official, who was not authorized to speak publicly about the investigation."],
    attributions: [
      {
        words: "The order came from the top,",
        speaker: anonymous("a police official", "was not authorized to speak publicly about the investigation"),
      },
    ],
  },
  {
    about: "reason in the next sentence",
    copy: [
      "Two diplomats said the talks had stalled over the sequencing of prisoner releases. They spoke on condition of anonymity because they were not authorized to brief reporters.",
    ],
    attributions: [
      {
        words: "the talks had stalled over the sequencing of prisoner releases.",
        paraphrase: true,
        speaker: anonymous("Two diplomats", "spoke on condition of anonymity because they were not authorized to brief reporters"),
      },
    ],
  },
  {
    about: "declined to be named",
    copy: [
      "A police officer, who declined to be named because he feared retaliation, said the department had ignored the complaints for years.",
    ],
    attributions: [
      {
        words: "the department had ignored the complaints for years.",
        paraphrase: true,
        speaker: anonymous("A police officer", "declined to be named because he feared retaliation"),
      },
    ],
  },
  {
    about: "speaking on condition of anonymity",
    copy: [
      "One Western diplomat, speaking on condition of anonymity in line with diplomatic protocol, said the sanctions would be extended.",
    ],
    attributions: [
      {
        words: "the sanctions would be extended.",
        paraphrase: true,
        speaker: anonymous("One Western diplomat", "speaking on condition of anonymity in line with diplomatic protocol"),
      },
    ],
  },
  {
    about: "according to a person familiar with the plans",
    copy: ["The company plans to cut 4,000 jobs, according to a person familiar with the plans who was not authorized to speak publicly."],
    attributions: [
      {
        words: "The company plans to cut 4,000 jobs",
        paraphrase: true,
        speaker: anonymous("a person familiar with the plans", "was not authorized to speak publicly"),
      },
    ],
  },
  {
    about: "anonymous officer, then the officer quoted",
    copy: [
      "A senior Iraqi officer, who spoke on condition of anonymity because he was not authorized to talk to the media, said the base had been hit twice.",
      "“The second strike was much bigger,” the officer said.",
    ],
    attributions: [
      {
        words: "the base had been hit twice.",
        paraphrase: true,
        speaker: anonymous("A senior Iraqi officer", "spoke on condition of anonymity because he was not authorized to talk to the media"),
      },
      {
        words: "The second strike was much bigger,",
        speaker: anonymous("A senior Iraqi officer", "spoke on condition of anonymity because he was not authorized to talk to the media"),
      },
    ],
  },
  {
    about: "the official after an unnamed official",
    copy: [
      "A senior military official told The Associated Press that the deployment had been delayed.",
      "“We are not ready,” said the official.",
    ],
    attributions: [{ words: "We are not ready,", speaker: unnamed("A senior military official") }],
  },
  {
    about: "anonymous official, then he",
    copy: [
      "A senior European Union official, who asked not to be identified because the negotiations were confidential, said the deal was close.",
      "“We are talking about days, not weeks,” he said.",
    ],
    attributions: [
      {
        words: "the deal was close.",
        paraphrase: true,
        speaker: anonymous("A senior European Union official", "asked not to be identified because the negotiations were confidential"),
      },
      {
        words: "We are talking about days, not weeks,",
        speaker: anonymous("A senior European Union official", "asked not to be identified because the negotiations were confidential"),
      },
    ],
  },
  {
    about: "said on condition of anonymity that",
    copy: ["A senior Israeli official said on condition of anonymity that the strike had been planned for weeks."],
    attributions: [
      {
        words: "the strike had been planned for weeks.",
        paraphrase: true,
        speaker: anonymous("A senior Israeli official", "on condition of anonymity"),
      },
    ],
  },
  {
    about: "people familiar, reason in the next sentence",
    copy: [
      "Three people familiar with the negotiations said the deal could be signed as early as Friday. They spoke on condition of anonymity to discuss private talks.",
    ],
    attributions: [
      {
        words: "the deal could be signed as early as Friday.",
        paraphrase: true,
        speaker: anonymous("Three people familiar with the negotiations", "spoke on condition of anonymity to discuss private talks"),
      },
    ],
  },

  // Quotation marks around words nobody said.
  {
    about: "scare quotes",
    copy: [
      "Critics have dismissed the so-called “peace dividend” as an accounting trick, and the governor's office said the savings were real.",
    ],
    attributions: [{ words: "peace dividend", speaker: null }],
  },
  {
    about: "title of a book",
    copy: ["Her new memoir, “The Weight of Water,” goes on sale in May, the publisher said."],
    attributions: [{ words: "The Weight of Water,", speaker: null }],
  },
  {
    about: "title of a film",
    copy: ["The festival opened with “Night Harbor,” a documentary about Baltic fishermen."],
    attributions: [{ words: "Night Harbor,", speaker: null }],
  },
  {
    about: "words on a sign",
    copy: ["Protesters carried signs reading “No More Cuts” as they marched to City Hall."],
    attributions: [{ words: "No More Cuts", speaker: null }],
  },
  {
    about: "nickname",
    copy: ["Dwayne “The Rock” Mitchell, a local wrestling legend, cut the ribbon."],
    attributions: [{ words: "The Rock", speaker: null }],
  },
  // Written after the rules.
  {
    about: "coach after a loss",
    copy: ["“We just didn't execute in the fourth quarter,” coach Mike Delaney said after the 31-17 loss."],
    attributions: [{ words: "We just didn't execute in the fourth quarter,", speaker: person("Mike Delaney", "coach") }],
  },
  {
    about: "economist with her firm",
    copy: ["“The market is pricing in two more rate cuts,” said Priyanka Shah, chief economist at Meridian Capital."],
    attributions: [
      { words: "The market is pricing in two more rate cuts,", speaker: person("Priyanka Shah", "chief economist", "Meridian Capital") },
    ],
  },
  {
    about: "a company's forecast, no quote",
    copy: ["Shares of Northwind Inc. fell 12% after the company said it would miss its revenue forecast."],
    attributions: [],
  },
  {
    about: "mother of the missing, then her surname",
    copy: [
      "“I feel like I'm living in a nightmare,” said Graciela Moreno, 52, whose son was among the missing.",
      "“He told me the boat was taking on water,” Moreno said.",
    ],
    attributions: [
      { words: "I feel like I'm living in a nightmare,", speaker: person("Graciela Moreno") },
      { words: "He told me the boat was taking on water,", speaker: person("Graciela Moreno") },
    ],
  },
  {
    about: "governor at a signing ceremony",
    copy: ["“This is a historic day for our state,” Gov. Josh Whitfield said at a signing ceremony in Harrisburg."],
    attributions: [{ words: "This is a historic day for our state,", speaker: person("Josh Whitfield", "Gov.") }],
  },
  {
    about: "called the measure",
    copy: ["Rep. Ilhan Warsame, D-Minn., called the measure “cruel and unnecessary.”"],
    attributions: [{ words: "cruel and unnecessary.", speaker: person("Ilhan Warsame", "Rep.", "D-Minn.") }],
  },
  {
    about: "the ministry said in a statement that",
    copy: ["The ministry said in a statement that the strikes targeted “terrorist infrastructure.”"],
    attributions: [{ words: "terrorist infrastructure.", speaker: unnamed("The ministry") }],
  },
  {
    about: "the team on social media",
    copy: ["“Our hearts go out to the families,” the team said in a post on social media."],
    attributions: [{ words: "Our hearts go out to the families,", speaker: unnamed("the team") }],
  },
  {
    about: "a spokesperson for a named police force",
    copy: ["A spokesperson for the Metropolitan Police said officers were “aware of the video.”"],
    attributions: [{ words: "aware of the video.", speaker: unnamed("A spokesperson for the Metropolitan Police") }],
  },
  {
    about: "shopkeeper who witnessed the blast",
    copy: ["“There was blood everywhere,” said Yusuf Ali, a shopkeeper who witnessed the blast."],
    attributions: [{ words: "There was blood everywhere,", speaker: person("Yusuf Ali", "a shopkeeper") }],
  },
  {
    about: "anonymous people briefed on the matter",
    copy: [
      "The decision was made late Tuesday, according to two people briefed on the matter who were not authorized to discuss it publicly.",
    ],
    attributions: [
      {
        words: "The decision was made late Tuesday",
        paraphrase: true,
        speaker: anonymous("two people briefed on the matter", "were not authorized to discuss it publicly"),
      },
    ],
  },
  {
    about: "press secretary told reporters",
    copy: ["“We are not going to negotiate in public,” White House press secretary Dana Lee told reporters."],
    attributions: [{ words: "We are not going to negotiate in public,", speaker: person("Dana Lee", "White House press secretary") }],
  },
  {
    about: "participle clause before the senator",
    copy: ["Asked whether she would run again, Sen. Margaret Olsen, R-Alaska, said: “That's a decision for another day.”"],
    attributions: [{ words: "That's a decision for another day.", speaker: person("Margaret Olsen", "Sen.", "R-Alaska") }],
  },
  {
    about: "doctor directing a state office",
    copy: ["“The science is clear,” said Dr. Anthony Ruiz-Medina, director of the state's Office of Public Health."],
    attributions: [{ words: "The science is clear,", speaker: person("Anthony Ruiz-Medina", "Dr.") }],
  },
  {
    about: "Vietnamese name and a who-clause",
    copy: ["“It's heartbreaking,” said Tran Thi Mai, who has sold noodles on the corner for two decades."],
    attributions: [{ words: "It's heartbreaking,", speaker: person("Tran Thi Mai") }],
  },
  {
    about: "judge and defendant, then she told him",
    copy: [
      "Judge Patricia Okonkwo sentenced Harlan Voss to 15 years in prison.",
      "“You showed no regard for the lives you endangered,” she told him.",
    ],
    attributions: [{ words: "You showed no regard for the lives you endangered,", speaker: person("Patricia Okonkwo", "Judge") }],
  },
  {
    about: "analyst with an apostrophe in the name",
    copy: ["“The numbers don't lie,” said Marcus O'Neill, a senior analyst at Crestview Research."],
    attributions: [{ words: "The numbers don't lie,", speaker: person("Marcus O'Neill", "a senior analyst", "Crestview Research") }],
  },
  {
    about: "police lieutenant before a partial quote",
    copy: ["Police Lt. Sam Whitaker said the driver “appeared to be impaired.”"],
    attributions: [{ words: "appeared to be impaired.", speaker: person("Sam Whitaker", "Police Lt.") }],
  },
  {
    about: "CEO wrote in a letter",
    copy: ["In a letter to shareholders, CEO Hannah Brandt wrote that the company faced “a difficult but manageable year.”"],
    attributions: [{ words: "a difficult but manageable year.", speaker: person("Hannah Brandt", "CEO") }],
  },
  {
    about: "the boy's mother, then her name",
    copy: ["“We're not giving up,” said the boy's mother, Lucía Herrera."],
    attributions: [{ words: "We're not giving up,", speaker: person("Lucía Herrera", "the boy's mother") }],
  },
  {
    about: "described the findings",
    copy: ["The agency's inspector general, Robert Kim, described the findings as “deeply troubling.”"],
    attributions: [{ words: "deeply troubling.", speaker: person("Robert Kim", "The agency's inspector general") }],
  },
  {
    about: "anonymous passenger",
    copy: ["“Nobody told us anything,” said one passenger, who asked not to be identified because she works for the airline."],
    attributions: [
      {
        words: "Nobody told us anything,",
        speaker: anonymous("one passenger", "asked not to be identified because she works for the airline"),
      },
    ],
  },
  {
    about: "age as the descriptor",
    copy: ["“We saw the water rising and we ran,” said 14-year-old Amara Diallo."],
    attributions: [{ words: "We saw the water rising and we ran,", speaker: person("Amara Diallo", "14-year-old") }],
  },
  {
    about: "president named in the lede, surname in a speech",
    copy: [
      "President Elena Vasquez arrived in Lima on Monday for a two-day summit.",
      "“The region cannot afford another lost decade,” Vasquez said in a speech to the assembly.",
    ],
    attributions: [{ words: "The region cannot afford another lost decade,", speaker: person("Elena Vasquez", "President") }],
  },
  {
    about: "a company by its one-word name",
    copy: ["“We will cooperate fully with investigators,” Boeing said in a statement."],
    attributions: [{ words: "We will cooperate fully with investigators,", speaker: organization("Boeing") }],
  },
  {
    about: "claimed, opposition leader",
    copy: ["“The vote was rigged,” claimed opposition leader Rafael Gómez."],
    attributions: [{ words: "The vote was rigged,", speaker: person("Rafael Gómez", "opposition leader") }],
  },
  {
    about: "tweeted",
    copy: ["“Let's get to work,” tweeted Mayor Karen Osei."],
    attributions: [{ words: "Let's get to work,", speaker: person("Karen Osei", "Mayor") }],
  },
  {
    about: "a court in a ruling",
    copy: ["The Supreme Court said in a 6-3 ruling that the law was “plainly unconstitutional.”"],
    attributions: [{ words: "plainly unconstitutional.", speaker: organization("The Supreme Court") }],
  },
  {
    about: "a spokeswoman for the company",
    copy: ["“We have no comment at this time,” a spokeswoman for the company said."],
    attributions: [{ words: "We have no comment at this time,", speaker: unnamed("a spokeswoman for the company") }],
  },
  {
    about: "he added after a named speaker",
    copy: ["“I've been fishing these waters for 40 years,” said Tomás Rivera.", "“Never,” he added, shaking his head."],
    attributions: [
      { words: "I've been fishing these waters for 40 years,", speaker: person("Tomás Rivera") },
      { words: "Never,", speaker: person("Tomás Rivera") },
    ],
  },
  {
    about: "U.N. spokesman",
    copy: ["“The ceasefire is holding, for now,” said U.N. spokesman Pierre Lavallée."],
    attributions: [{ words: "The ceasefire is holding, for now,", speaker: person("Pierre Lavallée", "U.N. spokesman") }],
  },
  {
    about: "one of the aides, anonymous",
    copy: [
      "“The president is furious,” said one of the aides, who spoke on condition of anonymity because they were not permitted to discuss private conversations.",
    ],
    attributions: [
      {
        words: "The president is furious,",
        speaker: anonymous(
          "one of the aides",
          "spoke on condition of anonymity because they were not permitted to discuss private conversations",
        ),
      },
    ],
  },
  {
    about: "a nickname in quotes",
    copy: ["The ship, nicknamed “the floating city,” carried 6,000 passengers."],
    attributions: [{ words: "the floating city,", speaker: null }],
  },
  {
    about: "a poem's title",
    copy: ["Lines of the poem “Still I Rise” were projected onto the building."],
    attributions: [{ words: "Still I Rise", speaker: null }],
  },
  {
    about: "a word as a word",
    copy: ["The word “Latinx” has divided Hispanic voters, a Pew survey found."],
    attributions: [{ words: "Latinx", speaker: null }],
  },
  {
    about: "state senator named, then by surname",
    copy: [
      "State Sen. Daniel Okafor, who chairs the finance committee, called the budget a fantasy.",
      "“Nobody in this building believes these numbers,” Okafor said.",
    ],
    attributions: [{ words: "Nobody in this building believes these numbers,", speaker: person("Daniel Okafor", "State Sen.") }],
  },
  {
    about: "according to her spokesman, by name",
    copy: ["“She is resting comfortably,” according to her spokesman, Ari Feld."],
    attributions: [{ words: "She is resting comfortably,", speaker: person("Ari Feld", "her spokesman") }],
  },
  {
    about: "a labor federation",
    copy: ["“The strike will go ahead,” the AFL-CIO said."],
    attributions: [{ words: "The strike will go ahead,", speaker: organization("the AFL-CIO") }],
  },
  // Written last.
  {
    about: "farmer with a who-clause",
    copy: ["“If we don't act now, we'll lose the entire harvest,” said Abdullahi Musa, who farms millet near Maiduguri."],
    attributions: [{ words: "If we don't act now, we'll lose the entire harvest,", speaker: person("Abdullahi Musa") }],
  },
  {
    about: "senator after a sentence about lawmakers",
    copy: ["Lawmakers from both parties praised the agreement. “This is what governing looks like,” said Sen. Paul Hendricks, R-Kan."],
    attributions: [{ words: "This is what governing looks like,", speaker: person("Paul Hendricks", "Sen.", "R-Kan.") }],
  },
  {
    about: "a named spokesman paraphrased is not proposed",
    copy: ["Investigators have not determined a cause, National Transportation Safety Board spokesman Eric Weiss said."],
    attributions: [],
  },
  {
    about: "teacher named in indirect speech, two quotes by surname",
    copy: [
      "Kimberly Nash, a teacher at Lincoln Elementary, said she had spent $600 of her own money on supplies this year.",
      "“It's just what you do,” Nash said. “The kids need it.”",
    ],
    attributions: [
      { words: "It's just what you do,", speaker: person("Kimberly Nash", "a teacher", "Lincoln Elementary") },
      { words: "The kids need it.", speaker: person("Kimberly Nash", "a teacher", "Lincoln Elementary") },
    ],
  },
  {
    about: "prime minister told lawmakers",
    copy: ["“We will rebuild,” Prime Minister Sofía Marín told lawmakers in Madrid."],
    attributions: [{ words: "We will rebuild,", speaker: person("Sofía Marín", "Prime Minister") }],
  },
  {
    about: "capitalised party adjective before a descriptor",
    copy: ["“That's not leadership, that's cowardice,” Democratic strategist Leah Goldberg said."],
    attributions: [{ words: "That's not leadership, that's cowardice,", speaker: person("Leah Goldberg", "Democratic strategist") }],
  },
  {
    about: "dismissed as",
    copy: ["The Kremlin dismissed the report as “pure fiction.”"],
    attributions: [{ words: "pure fiction.", speaker: organization("The Kremlin") }],
  },
  {
    about: "a ministry named without its country",
    copy: ["“The outbreak is under control,” the Health Ministry said Sunday."],
    attributions: [{ words: "The outbreak is under control,", speaker: organization("the Health Ministry") }],
  },
  {
    about: "officials of a named department",
    copy: ["Interior Department officials said the leases would be “paused indefinitely.”"],
    attributions: [{ words: "paused indefinitely.", speaker: unnamed("Interior Department officials") }],
  },
  {
    about: "reason in the next paragraph",
    copy: [
      "Two former employees told the AP that managers routinely ignored safety complaints.",
      "They spoke on condition of anonymity for fear of retaliation.",
    ],
    attributions: [
      {
        words: "managers routinely ignored safety complaints.",
        paraphrase: true,
        speaker: anonymous("Two former employees", "spoke on condition of anonymity for fear of retaliation"),
      },
    ],
  },
  {
    about: "one of the passengers, then replied",
    copy: [
      "“We were just trying to get home,” said Deshawn Carter, 19, one of the passengers.",
      "“Absolutely not,” Carter replied when asked whether he would settle.",
    ],
    attributions: [
      { words: "We were just trying to get home,", speaker: person("Deshawn Carter", "one of the passengers") },
      { words: "Absolutely not,", speaker: person("Deshawn Carter", "one of the passengers") },
    ],
  },
  {
    about: "a film's title between commas",
    copy: ["The film, “Ghosts of the Delta,” premiered at Sundance."],
    attributions: [{ words: "Ghosts of the Delta,", speaker: null }],
  },
  {
    about: "anonymous defense official quoted in part",
    copy: [
      "A senior U.S. defense official, speaking on the condition of anonymity to discuss sensitive operations, said the strikes hit “every target we intended.”",
    ],
    attributions: [
      {
        words: "every target we intended.",
        speaker: anonymous("A senior U.S. defense official", "speaking on the condition of anonymity to discuss sensitive operations"),
      },
    ],
  },
  {
    about: "owner of a grocery",
    copy: ["“Prices are going up for everybody,” said Lin Wei, owner of a small grocery in Queens."],
    attributions: [{ words: "Prices are going up for everybody,", speaker: person("Lin Wei", "owner of a small grocery in Queens") }],
  },
  {
    about: "the senator after the senator was named",
    copy: [
      "Sen. Raymond Cole, R-Ga., faces a federal investigation.",
      "Asked about the allegations, the senator said: “I have nothing to hide.”",
    ],
    attributions: [{ words: "I have nothing to hide.", speaker: person("Raymond Cole", "Sen.", "R-Ga.") }],
  },
];
