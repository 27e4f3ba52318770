/**
 * The general-text negative set: everyday prompts that have nothing to do with any organisation's
 * proprietary knowledge, so a head learns what "ordinary" looks like.
 *
 * Source and licence: written for split-brain (templates and fillers below, by the project's authors),
 * expanded combinatorially with a seeded generator; same licence as the repository. No third-party text.
 * The expanded list is committed as data/general-negatives.txt; `bun libs/training/src/general-negatives.ts`
 * regenerates it byte for byte (a test checks that).
 */
import { join } from 'node:path';

export const GENERAL_NEGATIVES_PATH = join(import.meta.dir, '../data/general-negatives.txt');
/**
 * Developer-tool and agent-prompt text (tool descriptions, JSON schemas, agent instructions, CLI help):
 * ordinary public text for this gateway, which coding agents send with every request. Written by hand for
 * split-brain (no third-party text); added to every training run in full, beside the sampled general set.
 */
export const DEVELOPER_TOOL_NEGATIVES_PATH = join(import.meta.dir, '../data/developer-tool-negatives.txt');
/**
 * Professional and workplace text from about 45 fields (questions on practice and norms, "we"/"our" questions
 * that need no private fact, workplace writing, long pasted public text, everyday words that organisations
 * pick as code names used in their ordinary sense): what a field sounds like when it is not anyone's facts.
 * Written by hand for split-brain (no third-party text); insurance and logistics are left out on purpose,
 * because the team's evaluation sets are in those fields and must stay unseen. Added whole to every run that
 * has employee questions (see buildExamples).
 */
export const PROFESSIONAL_NEGATIVES_PATH = join(import.meta.dir, '../data/professional-negatives.txt');

/** Every shipped negative-set file, one prompt per line each; more files join this list. */
export const GENERAL_NEGATIVES_PATHS: string[] = [GENERAL_NEGATIVES_PATH];

/** Loads the shipped set (or the given files), one prompt per line, in file order. */
export async function loadGeneralNegatives(
  paths: string | string[] = GENERAL_NEGATIVES_PATHS,
): Promise<string[]> {
  const texts = await Promise.all((Array.isArray(paths) ? paths : [paths]).map((p) => Bun.file(p).text()));
  return texts.flatMap((text) => text.split('\n').filter((line) => line.trim() !== ''));
}

type Fillers = Record<string, string[]>;

const FILLERS: Fillers = {
  dish: [
    'lasagna',
    'banana bread',
    'chicken curry',
    'pad thai',
    'sourdough',
    'risotto',
    'vegetable soup',
    'pancakes',
    'chili con carne',
    'falafel',
    'apple pie',
    'ramen',
    'guacamole',
    'paella',
    'brownies',
    'shakshuka',
    'a Caesar salad',
    'tacos',
  ],
  ingredient: [
    'eggs',
    'butter',
    'buttermilk',
    'fresh basil',
    'heavy cream',
    'brown sugar',
    'soy sauce',
    'yeast',
    'coconut milk',
    'garlic',
    'lemon juice',
    'cornstarch',
  ],
  city: [
    'Lisbon',
    'Kyoto',
    'Mexico City',
    'Prague',
    'Cape Town',
    'Montreal',
    'Istanbul',
    'Edinburgh',
    'Buenos Aires',
    'Hanoi',
    'Vienna',
    'Seattle',
    'Marrakech',
    'Reykjavik',
    'Sydney',
    'Rome',
  ],
  days: ['a weekend', 'three days', 'a week', 'ten days', 'two weeks', 'one day'],
  language: [
    'Python',
    'JavaScript',
    'TypeScript',
    'Rust',
    'Go',
    'Java',
    'C++',
    'SQL',
    'Bash',
    'Ruby',
    'Kotlin',
    'Swift',
  ],
  codeTask: [
    'reverse a linked list',
    'read a CSV file',
    'parse JSON',
    'sort a list of dictionaries by a key',
    'make an HTTP request',
    'remove duplicates from an array',
    'write a unit test',
    'debounce a function',
    'validate an email address',
    'merge two sorted arrays',
    'read environment variables',
    'retry a failed request with backoff',
    'format a date as ISO 8601',
    'count word frequencies in a file',
  ],
  concept: [
    'recursion',
    'closures',
    'async/await',
    'garbage collection',
    'big-O notation',
    'dependency injection',
    'database indexes',
    'hash maps',
    'REST versus GraphQL',
    'Docker containers',
    'git rebase',
    'unit versus integration tests',
    'memoization',
    'TCP versus UDP',
    'public-key cryptography',
    'regular expressions',
  ],
  error: [
    'TypeError: undefined is not a function',
    'IndexError: list index out of range',
    'segmentation fault',
    'CORS policy blocked my request',
    'permission denied (publickey)',
    'ModuleNotFoundError',
    'null pointer exception',
    'port 3000 already in use',
    'merge conflict in package-lock.json',
  ],
  topic: [
    'photosynthesis',
    'black holes',
    'the French Revolution',
    'plate tectonics',
    'inflation',
    'the immune system',
    'climate change',
    'the Roman Empire',
    'quantum entanglement',
    'DNA replication',
    'supply and demand',
    'the water cycle',
    'the Renaissance',
    'volcanoes',
    'compound interest',
    'the printing press',
    'how vaccines work',
    'the Cold War',
    'electric cars',
    'the stock market',
  ],
  audience: [
    'a five-year-old',
    'a high school student',
    'my grandmother',
    'a beginner',
    'someone with no science background',
    'a busy manager',
  ],
  writing: [
    'a birthday message for my sister',
    'a thank-you note to a teacher',
    'a short poem about autumn',
    'a cover letter for a barista job',
    "a toast for my best friend's wedding",
    'a polite complaint to my landlord about a broken heater',
    'a product review for a pair of running shoes',
    'a haiku about the ocean',
    'a bedtime story about a brave turtle',
    'an out-of-office reply',
    'a LinkedIn post about finishing a marathon',
    'a limerick about a cat',
    'a condolence card message',
    'a short story opening set on a train',
  ],
  tone: ['funny', 'formal', 'warm', 'short', 'heartfelt', 'casual', 'professional'],
  exercise: [
    'running',
    'yoga',
    'swimming',
    'strength training',
    'cycling',
    'pilates',
    'hiking',
    'rock climbing',
  ],
  goal: [
    'lose weight',
    'build muscle',
    'improve my posture',
    'run a 10k',
    'sleep better',
    'reduce stress',
    'get more flexible',
    'have more energy',
  ],
  plant: [
    'tomatoes',
    'basil',
    'a fiddle leaf fig',
    'succulents',
    'roses',
    'orchids',
    'strawberries',
    'a lemon tree',
    'lavender',
    'peppers',
  ],
  pet: ['my dog', 'my cat', 'a puppy', 'my rabbit', 'a goldfish', 'my parrot', 'an older dog', 'a kitten'],
  petIssue: [
    'stop barking at night',
    'use a litter box',
    'walk on a leash',
    'stop chewing furniture',
    'lose weight',
    'get along with a new baby',
    'stay calm during fireworks',
  ],
  device: [
    'my laptop',
    'my phone',
    'my printer',
    'my Wi-Fi router',
    'my smart TV',
    'my wireless earbuds',
    'my tablet',
    'my gaming console',
  ],
  deviceIssue: [
    'is running slowly',
    "won't connect to Wi-Fi",
    'keeps restarting',
    'has no sound',
    "won't charge",
    'is overheating',
    'shows a black screen',
    'drops the Bluetooth connection',
  ],
  money: [
    'save for a house deposit',
    'pay off credit card debt',
    'start investing with a small amount',
    'build an emergency fund',
    'budget on an irregular income',
    'plan for retirement in my thirties',
    'split bills with roommates fairly',
  ],
  book: [
    'Pride and Prejudice',
    '1984',
    'The Great Gatsby',
    'To Kill a Mockingbird',
    'Moby-Dick',
    'The Hobbit',
    'Frankenstein',
    'Jane Eyre',
    'Don Quixote',
    'The Odyssey',
  ],
  genre: [
    'science fiction',
    'mystery',
    'historical fiction',
    'fantasy',
    'thriller',
    'romance',
    'non-fiction about science',
    'graphic novels',
  ],
  sport: [
    'football',
    'basketball',
    'tennis',
    'chess',
    'golf',
    'cricket',
    'volleyball',
    'table tennis',
    'baseball',
  ],
  repair: [
    'fix a leaking tap',
    'unclog a drain',
    'patch a hole in drywall',
    'fix a squeaky door',
    'replace a light switch',
    'reseal a bathtub',
    'hang a heavy mirror',
    'fix a running toilet',
    'paint a room without streaks',
  ],
  career: [
    'ask for a raise',
    'prepare for a job interview',
    'change careers at forty',
    'write a strong resume',
    'negotiate a job offer',
    'deal with a difficult coworker',
    'run a better meeting',
    'give constructive feedback',
    'ask for a reference',
  ],
  lang: [
    'Spanish',
    'French',
    'German',
    'Japanese',
    'Italian',
    'Portuguese',
    'Mandarin',
    'Korean',
    'Dutch',
    'Arabic',
  ],
  phrase: [
    'good morning',
    'where is the train station',
    'thank you very much',
    'I would like a coffee',
    'how much does this cost',
    'nice to meet you',
    'I am lost',
    'can I have the bill',
  ],
  number: ['12', '15', '27', '48', '64', '125', '250', '360', '1,000', '7.5'],
  unit: [
    'miles to kilometres',
    'Fahrenheit to Celsius',
    'cups to grams of flour',
    'pounds to kilograms',
    'inches to centimetres',
    'ounces to millilitres',
  ],
  event: [
    "a child's birthday party",
    'a dinner party for six',
    'a baby shower',
    'a family reunion',
    'a small wedding',
    'a game night',
    'a surprise retirement party',
    'a picnic in the park',
  ],
  movieGenre: [
    'comedies',
    'animated films',
    'documentaries',
    'horror movies',
    'heist movies',
    'classic westerns',
    'space movies',
    'feel-good dramas',
  ],
  hobby: [
    'knitting',
    'photography',
    'woodworking',
    'bird watching',
    'playing guitar',
    'watercolour painting',
    'baking bread',
    'learning to juggle',
    'pottery',
    'astronomy',
  ],
  health: [
    'a mild headache',
    'trouble falling asleep',
    'a sore throat',
    'back pain from sitting',
    'seasonal allergies',
    'a sprained ankle',
    'jet lag',
    'dry skin in winter',
  ],
  math: [
    'solve 3x + 7 = 22',
    'find the derivative of x^3 sin x',
    'calculate 18% of 240',
    'simplify (a+b)^2 - (a-b)^2',
    'find the area of a circle with radius 7',
    'explain the Pythagorean theorem',
    'compute the average of 4, 8, 15, 16, 23 and 42',
    'convert 0.375 to a fraction',
    'integrate 2x from 0 to 3',
  ],
  item: [
    'a laptop for university',
    'running shoes',
    'a budget camera',
    'a good office chair',
    'a robot vacuum',
    "a beginner's telescope",
    'noise-cancelling headphones',
    'a mattress for back pain',
    'an electric kettle',
    'a winter coat',
  ],
  budget: ['under $100', 'under $300', 'around $50', 'under $1000', 'on a tight budget'],
  history: [
    'Cleopatra',
    'Napoleon',
    'the Ming dynasty',
    'the Apollo 11 mission',
    'the fall of the Berlin Wall',
    'the Silk Road',
    'Ada Lovelace',
    'the Magna Carta',
    'the Industrial Revolution',
    'the Aztec Empire',
  ],
  workplace: [
    'our team offsite',
    'the holiday schedule',
    'a new hire starting Monday',
    'the office move next month',
    'a reminder to submit timesheets',
    'the quarterly all-hands meeting',
    "a colleague's farewell lunch",
    'the new coffee machine',
  ],
};

const TEMPLATES: string[] = [
  'How do I make {dish}?',
  'Give me a simple recipe for {dish}.',
  'What can I use instead of {ingredient} in {dish}?',
  'How long does {dish} keep in the fridge?',
  'Can I freeze {dish}?',
  'Plan {days} in {city} for a first-time visitor.',
  'What should I pack for {days} in {city}?',
  'What are the best neighbourhoods to stay in {city}?',
  'Is {city} expensive to visit?',
  'What food should I try in {city}?',
  'How do I {codeTask} in {language}?',
  'Write a {language} function to {codeTask}.',
  'Explain {concept} with a {language} example.',
  'What does this error mean: {error}?',
  'I keep getting "{error}". How do I fix it?',
  'Explain {concept} like I am {audience}.',
  'Explain {topic} to {audience}.',
  'Summarise the main ideas of {topic}.',
  'What are three surprising facts about {topic}?',
  'Write {writing}.',
  'Write {writing}, {tone} please.',
  'Make this {tone}: {writing}.',
  'What is a good {exercise} routine to {goal}?',
  'How often should I do {exercise} if I want to {goal}?',
  'Is {exercise} good for beginners who want to {goal}?',
  'How do I grow {plant} on a balcony?',
  'Why are the leaves on my {plant} turning yellow?',
  'When should I plant {plant}?',
  'How do I get {pet} to {petIssue}?',
  'What should I feed {pet}?',
  '{device} {deviceIssue}. What can I try?',
  'Why {device} {deviceIssue}?',
  'How can I {money}?',
  'What is a realistic plan to {money}?',
  'What are the main themes of {book}?',
  'Recommend books like {book}.',
  'Suggest some {genre} books for a long flight.',
  'Explain the rules of {sport}.',
  'What are good drills to get better at {sport}?',
  'How do I {repair}?',
  'What tools do I need to {repair}?',
  'How do I {career}?',
  'Give me tips to {career}.',
  'How do you say "{phrase}" in {lang}?',
  'What is the fastest way to learn {lang}?',
  'Translate "{phrase}" into {lang}.',
  'Convert {number} {unit}.',
  'How do I convert {unit}?',
  'Help me plan {event}.',
  'What games work well for {event}?',
  'Recommend some {movieGenre} for a family night.',
  'What are the best {movieGenre} of the last decade?',
  'How do I get started with {hobby}?',
  'What beginner mistakes should I avoid in {hobby}?',
  'What helps with {health}?',
  'When should I see a doctor about {health}?',
  'Please {math}.',
  'Can you show the steps to {math}?',
  'What should I look for when buying {item} {budget}?',
  'Compare options for {item} {budget}.',
  'Tell me about {history}.',
  'Why was {history} important?',
  'Write a short team email about {workplace}.',
  'Draft a friendly Slack message about {workplace}.',
];

/** Ways people open and close a prompt; combined with the templates they vary form as well as topic. */
const LEAD_INS = [
  '',
  '',
  '',
  'Quick question: ',
  'Hey, ',
  'Can you help me? ',
  'I was wondering: ',
  'Please help. ',
  'Hi! ',
];
const TAILS = [
  '',
  '',
  '',
  ' Thanks!',
  ' Keep it brief.',
  ' Use bullet points.',
  ' Explain step by step.',
  ' Thank you in advance.',
  ' No jargon please.',
];

/** Mulberry32: a tiny seeded PRNG, so the expansion is the same on every machine. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Expands the templates into `count` distinct prompts, spread evenly over the templates. */
export function generateGeneralNegatives(count = 5000, seed = 20261123): string[] {
  const random = seededRandom(seed);
  const pick = (list: string[]) => list[Math.floor(random() * list.length)]!;
  const out = new Set<string>();
  let attempts = 0;
  while (out.size < count && attempts < count * 50) {
    const template = TEMPLATES[attempts % TEMPLATES.length]!;
    attempts++;
    const prompt = template.replace(/\{(\w+)\}/g, (_, slot: string) => {
      const list = FILLERS[slot];
      if (!list) throw new Error(`template slot {${slot}} has no fillers`);
      return pick(list);
    });
    const lead = pick(LEAD_INS);
    const body = lead === '' ? prompt.charAt(0).toUpperCase() + prompt.slice(1) : prompt;
    out.add(`${lead}${body}${pick(TAILS)}`);
  }
  return [...out];
}

if (import.meta.main) {
  const prompts = generateGeneralNegatives();
  await Bun.write(GENERAL_NEGATIVES_PATH, `${prompts.join('\n')}\n`);
  console.log(`wrote ${prompts.length} prompts to ${GENERAL_NEGATIVES_PATH}`);
}
